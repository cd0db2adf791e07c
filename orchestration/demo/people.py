"""Fictional Indonesian people: names, mobile numbers in the forms they reach the centre, customers.

All names are combinations of common given names and family names, so no generated person is
meant to be real. E-mail addresses use the reserved example.com, example.net and example.org
domains. Mobile numbers use real operator prefixes with random subscriber digits.
"""

import random
from dataclasses import dataclass

GIVEN_NAMES = (
    "Adi", "Agus", "Ahmad", "Andi", "Anisa", "Arif", "Ayu", "Bambang", "Bayu", "Budi",
    "Citra", "Dani", "Dedi", "Dewi", "Dian", "Dimas", "Eka", "Endang", "Fajar", "Fitri",
    "Gilang", "Hadi", "Hendra", "Indah", "Intan", "Irfan", "Joko", "Kartika", "Lestari", "Lina",
    "Made", "Maya", "Muhammad", "Nanda", "Nur", "Nurul", "Putri", "Putu", "Rahmat", "Rani",
    "Reza", "Rina", "Rizky", "Sari", "Siti", "Sri", "Taufik", "Teguh", "Tri", "Wahyu",
    "Wayan", "Wulan", "Yanti", "Yogi", "Yusuf", "Zahra", "Ratna", "Slamet", "Suharti", "Kevin",
)

FAMILY_NAMES = (
    "Anggraini", "Firmansyah", "Gunawan", "Hakim", "Handayani", "Harahap", "Hidayat", "Irawan",
    "Kurniawan", "Kusuma", "Lestari", "Lubis", "Maharani", "Nasution", "Nugroho", "Permana",
    "Pratama", "Purnomo", "Putra", "Rahayu", "Rahmawati", "Ramadhan", "Saputra", "Santoso",
    "Setiawan", "Siregar", "Sihombing", "Simanjuntak", "Suryadi", "Susanti", "Syahputra",
    "Tambunan", "Utami", "Wahyudi", "Wibowo", "Wijaya", "Wirawan", "Wulandari", "Yulianti",
    "Pangaribuan", "Sembiring", "Pakpahan", "Mahendra", "Hutapea", "Daeng", "Manurung",
)

CITIES = (
    "Jakarta Selatan", "Jakarta Timur", "Jakarta Barat", "Bekasi", "Depok", "Tangerang", "Bogor",
    "Bandung", "Semarang", "Surabaya", "Yogyakarta", "Medan", "Palembang", "Makassar",
    "Denpasar", "Balikpapan", "Manado",
)

INTERNET_PACKAGES = (
    "Paket Hemat 20 Mbps",
    "Paket Rumah 30 Mbps",
    "Paket Keluarga 50 Mbps",
    "Paket Keluarga 100 Mbps",
    "Paket Gamer 300 Mbps",
)

# Three-digit operator prefixes after the trunk prefix 0 (Telkomsel, Indosat, XL, Tri, Smartfren).
MOBILE_PREFIXES = (
    "811", "812", "813", "821", "822", "823", "852", "853", "814", "815", "816", "855",
    "856", "857", "858", "817", "818", "819", "859", "877", "878", "895", "896", "897",
    "898", "899", "881", "882", "887", "888",
)

EMAIL_DOMAINS = ("example.com", "example.net", "example.org")

# Styles of writing a mobile number. Caller ids on the Asterisk trunks are digits only, and people
# type the other styles into web forms, WhatsApp profiles and e-mail signatures.
PHONE_STYLES = ("local", "intl_digits", "e164", "intl_spaced", "local_dashed", "local_spaced")


def format_phone(national_number: str, style: str) -> str:
    """Write a national significant number (`81234567890`, no trunk or country prefix) in a style.

    `local` gives `081234567890`, `intl_digits` `6281234567890`, `e164` `+6281234567890`,
    `intl_spaced` `+62 812-3456-7890`, `local_dashed` `0812-3456-7890` and
    `local_spaced` `0812 3456 7890`.
    """
    groups = (national_number[:3], national_number[3:7], national_number[7:])
    if style == "local":
        return "0" + national_number
    if style == "intl_digits":
        return "62" + national_number
    if style == "e164":
        return "+62" + national_number
    if style == "intl_spaced":
        return "+62 " + "-".join(groups)
    if style == "local_dashed":
        return "0" + "-".join(groups)
    if style == "local_spaced":
        return "0" + " ".join(groups)
    raise ValueError(f"unknown phone style {style!r}; expected one of {', '.join(PHONE_STYLES)}")


@dataclass(frozen=True)
class Customer:
    """A subscriber of the fictional internet provider who may call, write or both."""

    customer_key: int
    full_name: str
    national_number: str
    email: str | None
    city: str
    account_number: str
    package: str

    @property
    def given_name(self) -> str:
        return self.full_name.split(" ")[0]


def draw_full_name(rng: random.Random) -> str:
    """Draw a one-, two- or three-part Indonesian name."""
    part_count = rng.choices((1, 2, 3), weights=(12, 70, 18))[0]
    if part_count == 1:
        return rng.choice(GIVEN_NAMES + FAMILY_NAMES)
    if part_count == 2:
        return f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"
    first, middle = rng.sample(GIVEN_NAMES, 2)
    return f"{first} {middle} {rng.choice(FAMILY_NAMES)}"


def draw_email(rng: random.Random, full_name: str) -> str:
    local_part = ".".join(full_name.lower().split(" ")[:2])
    if rng.random() < 0.6:
        local_part += str(rng.randint(1, 99))
    return f"{local_part}@{rng.choice(EMAIL_DOMAINS)}"


class CustomerPool:
    """Draws new customers with unique mobile numbers, in a fixed order for a given generator."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._customers: list[Customer] = []
        self._numbers_in_use: set[str] = set()

    @property
    def customers(self) -> list[Customer]:
        return list(self._customers)

    def new_customer(self) -> Customer:
        rng = self._rng
        national_number = self._draw_unused_number()
        full_name = draw_full_name(rng)
        email = draw_email(rng, full_name) if rng.random() < 0.7 else None
        customer = Customer(
            customer_key=len(self._customers),
            full_name=full_name,
            national_number=national_number,
            email=email,
            city=rng.choice(CITIES),
            account_number=f"{rng.randint(1, 9)}{rng.randint(0, 10**9 - 1):09d}",
            package=rng.choice(INTERNET_PACKAGES),
        )
        self._customers.append(customer)
        return customer

    def _draw_unused_number(self) -> str:
        while True:
            subscriber_digit_count = self._rng.choice((7, 8, 8, 8))
            subscriber = "".join(str(self._rng.randint(0, 9)) for _ in range(subscriber_digit_count))
            number = self._rng.choice(MOBILE_PREFIXES) + subscriber
            if number not in self._numbers_in_use:
                self._numbers_in_use.add(number)
                return number
