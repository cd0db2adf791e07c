"""Calendars the business-hours models need: public holidays and collective leave days."""
