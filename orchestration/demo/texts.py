"""Bahasa Indonesia text templates for the demo tickets, comments, notes and satisfaction ratings.

Templates use `str.format` fields filled by `fill_template`: customer name, account number,
month, amounts, city, internet packages, the agent's first name and the brand, and for some
tickets the customer's personal data. The texts are written for this demo, and any likeness to a
real provider's wording is accidental.

Customers write personal data into free text as they do in real tickets: their mobile number as
`0812-3456-7890`, their e-mail address, their 16-digit national id number (NIK) and, when they
complain about a card payment, the card number. Card numbers are the public test numbers of the
card networks, and NIKs follow the real layout (region code, birth date, serial) with random
digits, so none belongs to a real person.
"""

import random
from datetime import date

from orchestration.demo.people import INTERNET_PACKAGES, Customer, format_phone

MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)

# Ticket categories as the values of the Zendesk category field, with their share of tickets.
CATEGORY_WEIGHTS = {
    "tagihan": 30,
    "gangguan_teknis": 30,
    "informasi_produk": 15,
    "pengembalian_dana": 10,
    "ganti_paket": 15,
}

SUBJECTS = {
    "tagihan": (
        "Tagihan bulan {bulan} tidak sesuai",
        "Kenapa tagihan saya naik?",
        "Sudah bayar tapi status masih belum lunas",
        "Minta rincian tagihan",
        "Denda keterlambatan padahal sudah bayar tepat waktu",
        "Tagihan muncul dua kali bulan {bulan}",
        "tagihan",
    ),
    "gangguan_teknis": (
        "Internet mati total",
        "Koneksi lambat sejak {hari}",
        "Lampu LOS di modem berkedip merah",
        "WiFi putus-putus",
        "Tidak bisa akses internet",
        "Apakah ada gangguan di {kota}?",
        "GANGGUAN!!!",
    ),
    "informasi_produk": (
        "Info paket internet di {kota}",
        "Apakah ada promo bulan ini?",
        "Syarat pasang baru",
        "Berapa lama proses pemasangan?",
        "Tanya soal {paket_baru}",
    ),
    "pengembalian_dana": (
        "Permintaan pengembalian dana",
        "Refund pembayaran ganda",
        "Dana belum kembali setelah berhenti berlangganan",
        "Pembayaran terpotong dua kali",
    ),
    "ganti_paket": (
        "Mau upgrade ke {paket_baru}",
        "Ganti ke paket yang lebih murah",
        "Cara pindah paket",
        "Turun paket mulai bulan depan",
    ),
}

CUSTOMER_MESSAGES = {
    "tagihan": (
        "Selamat {salam}, tagihan saya bulan {bulan} Rp{nominal}, biasanya cuma Rp{nominal_biasa}. Saya tidak merasa menambah layanan apa pun. Mohon dicek, nomor pelanggan {nomor_pelanggan}.",
        "Halo, saya sudah transfer pembayaran tanggal {tanggal} lewat mobile banking tapi di aplikasi masih tertulis belum lunas. Bukti transfer ada. Nomor pelanggan {nomor_pelanggan}.",
        "Min, tolong kirim rincian tagihan bulan {bulan} ke email saya. Ada biaya tambahan yang saya tidak paham.",
        "Kenapa ada denda keterlambatan Rp{denda}? Saya selalu bayar sebelum tanggal 20.",
        "Permisi, tagihan bulan ini muncul dua kali di aplikasi. Mana yang harus saya bayar?",
    ),
    "gangguan_teknis": (
        "Internet di rumah saya mati total sejak {hari}. Lampu LOS di modem berkedip merah. Sudah saya matikan dan nyalakan lagi tapi tetap sama. Alamat pemasangan di {kota}, nomor pelanggan {nomor_pelanggan}.",
        "Koneksi lambat sekali, speedtest cuma {kecepatan} Mbps padahal paket saya {paket}. Anak saya sekolah daring jadi sangat terganggu.",
        "Halo kak, wifi sering putus tiap beberapa menit sejak {hari}. Mohon dibantu cek jaringan di {kota}.",
        "Apakah sedang ada gangguan di {kota}? Dari pagi tidak bisa buka apa-apa.",
        "Modem tidak menyala sama sekali setelah listrik padam semalam. Tolong kirim teknisi.",
    ),
    "informasi_produk": (
        "Selamat {salam}, apakah layanan {merek} sudah tersedia di {kota}? Saya mau pasang untuk rumah baru.",
        "Ada promo untuk pelanggan baru bulan {bulan}? Saya tertarik dengan {paket_baru}.",
        "Apa saja syarat pasang baru? Apakah harus pakai KTP sesuai alamat pemasangan?",
        "Kalau daftar hari ini, kira-kira berapa hari teknisi datang untuk pasang?",
    ),
    "pengembalian_dana": (
        "Saldo saya terpotong dua kali untuk pembayaran tanggal {tanggal}, masing-masing Rp{nominal}. Mohon salah satunya dikembalikan.",
        "Saya sudah berhenti berlangganan bulan {bulan_lalu} tapi deposit Rp{nominal} belum dikembalikan sampai sekarang.",
        "Kemarin saya bayar lewat minimarket, ternyata sudah terbayar otomatis lewat kartu kredit. Bagaimana cara minta refund?",
        "Sudah {jumlah_hari} hari sejak pengajuan refund tapi dana belum masuk ke rekening. Mohon info prosesnya.",
    ),
    "ganti_paket": (
        "Halo, saya mau upgrade dari {paket} ke {paket_baru}. Apakah bisa aktif hari ini? Nomor pelanggan {nomor_pelanggan}.",
        "Saya ingin turun paket ke {paket_baru} karena sekarang jarang di rumah. Apakah ada biaya?",
        "Bagaimana cara ganti paket lewat aplikasi? Menu ganti paket tidak muncul di akun saya.",
        "Kalau pindah ke {paket_baru} di tengah bulan, tagihannya dihitung bagaimana?",
    ),
}

FIRST_REPLIES = {
    "tagihan": (
        "Halo Kak {nama}, terima kasih sudah menghubungi {merek}. Kenaikan tagihan bulan {bulan} berasal dari penyesuaian harga paket dan biaya pemakaian tambahan. Rinciannya sudah kami kirim ke email terdaftar.",
        "Halo Kak {nama}, mohon maaf atas ketidaknyamanannya. Pembayaran Kakak sudah kami temukan dan status tagihan sudah kami perbarui menjadi lunas.",
        "Terima kasih Kak {nama}. Tagihan yang muncul dua kali adalah tampilan ganda di aplikasi; cukup bayar satu kali sebesar Rp{nominal}.",
    ),
    "gangguan_teknis": (
        "Halo Kak {nama}, mohon maaf atas gangguannya. Saat ini ada perbaikan jaringan di area {kota}. Estimasi normal kembali dalam 4 jam.",
        "Halo Kak {nama}, dari sisi kami sinyal ke modem Kakak terpantau normal. Mohon coba cabut adaptor modem 30 detik lalu pasang kembali.",
        "Terima kasih laporannya, Kak {nama}. Kami sudah membuat jadwal kunjungan teknisi ke alamat Kakak di {kota}.",
    ),
    "informasi_produk": (
        "Halo Kak {nama}, layanan {merek} sudah tersedia di {kota}. Kakak bisa mendaftar lewat aplikasi atau situs kami, teknisi akan datang dalam 2-3 hari kerja.",
        "Halo Kak {nama}, bulan ini ada potongan 50% biaya pasang untuk {paket_baru}. Syaratnya cukup KTP dan foto rumah.",
        "Halo Kak {nama}, syarat pasang baru hanya KTP pemilik akun dan alamat pemasangan yang terjangkau jaringan kami.",
    ),
    "pengembalian_dana": (
        "Halo Kak {nama}, pengembalian dana Rp{nominal} sudah kami ajukan dan akan masuk ke rekening Kakak dalam 7-14 hari kerja.",
        "Halo Kak {nama}, mohon maaf atas keterlambatannya. Pengajuan refund Kakak sudah disetujui dan sedang diproses bagian keuangan.",
    ),
    "ganti_paket": (
        "Halo Kak {nama}, paket Kakak sudah kami ubah ke {paket_baru} dan aktif mulai siklus tagihan berikutnya.",
        "Halo Kak {nama}, ganti paket bisa lewat menu Akun > Paket Saya di aplikasi. Tidak ada biaya tambahan untuk perubahan paket.",
    ),
}

INFO_REQUESTS = (
    "Halo Kak {nama}, boleh dibantu kirim nomor pelanggan dan foto bukti transfernya? Setelah kami terima akan langsung kami proses.",
    "Halo Kak {nama}, mohon informasikan nomor pelanggan dan alamat lengkap pemasangan agar kami bisa cek jaringan di lokasi Kakak.",
    "Halo Kak {nama}, untuk verifikasi mohon sebutkan nama pemilik akun dan tanggal lahir sesuai data pendaftaran.",
)

CUSTOMER_INFO_REPLIES = (
    "Nomor pelanggan saya {nomor_pelanggan}, bukti transfer sudah saya lampirkan.",
    "Ini kak datanya: {nomor_pelanggan}, alamat di {kota}.",
    "Sudah saya kirim ya kak, mohon segera dibantu.",
    "Atas nama {nama_lengkap}, nomor pelanggan {nomor_pelanggan}.",
    "Atas nama {nama_lengkap}, NIK {nik}, nomor pelanggan {nomor_pelanggan}.",
)

# Sentences a customer adds to the first message of some tickets, and subjects of a few.
PERSONAL_DATA_SENTENCES = (
    "Nomor HP saya {telepon}, tolong hubungi saya di nomor itu.",
    "Bisa dibalas ke email saya {email} saja ya.",
    "Untuk verifikasi, NIK saya {nik} atas nama {nama_lengkap}.",
    "Saya bayar pakai kartu kredit {kartu} dan terpotong dua kali.",
    "Data saya: NIK {nik}, HP {telepon}, email {email}.",
)
PERSONAL_DATA_SUBJECTS = (
    "Mohon hubungi saya di {telepon}",
    "Refund kartu {kartu}",
)
# Test card numbers the card networks publish, written as customers type them.
TEST_CARD_NUMBERS = ("4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5555 5555 5555 4444")
# First four digits of a NIK (province and regency code) per customer city. 3174 is Jakarta Selatan.
NIK_REGION_CODES = {
    "Jakarta Selatan": "3174",
    "Jakarta Timur": "3175",
    "Jakarta Barat": "3173",
    "Bekasi": "3275",
    "Depok": "3276",
    "Tangerang": "3671",
    "Bogor": "3271",
    "Bandung": "3273",
    "Semarang": "3374",
    "Surabaya": "3578",
    "Yogyakarta": "3471",
    "Medan": "1275",
    "Palembang": "1671",
    "Makassar": "7371",
    "Denpasar": "5171",
    "Balikpapan": "6471",
    "Manado": "7171",
}

# Internal notes an agent writes when solving a ticket, and what some write instead of a note.
RESOLUTION_NOTES = {
    "tagihan": (
        "Catatan penyelesaian: pembayaran tanggal {tanggal} sudah masuk, status tagihan diperbarui menjadi lunas.",
        "Catatan penyelesaian: rincian tagihan {bulan} dikirim ke email terdaftar, kenaikan karena penyesuaian harga paket.",
    ),
    "gangguan_teknis": (
        "Catatan penyelesaian: gangguan area {kota} sudah diperbaiki tim lapangan, koneksi pelanggan normal.",
        "Catatan penyelesaian: modem direstart jarak jauh, sinyal optik normal kembali.",
    ),
    "informasi_produk": (
        "Catatan penyelesaian: info paket dan syarat pasang baru sudah dijelaskan, pelanggan akan daftar lewat aplikasi.",
    ),
    "pengembalian_dana": (
        "Catatan penyelesaian: refund Rp{nominal} diajukan ke bagian keuangan, estimasi 7-14 hari kerja.",
    ),
    "ganti_paket": (
        "Catatan penyelesaian: paket diubah ke {paket_baru}, berlaku siklus tagihan berikutnya.",
    ),
}
RESOLUTION_NOTE_PLACEHOLDERS = ("-", "n/a", "null")

# The call summary an agent writes when creating a ticket for a phone call from the CTI panel.
VOICE_CALL_SUMMARIES = {
    "tagihan": "Panggilan masuk dari {nomor_penelepon} (antrian {antrian}). Pelanggan menanyakan tagihan bulan {bulan} sebesar Rp{nominal}.",
    "pengembalian_dana": "Panggilan masuk dari {nomor_penelepon} (antrian {antrian}). Pelanggan meminta pengembalian dana Rp{nominal}.",
    "gangguan_teknis": "Panggilan masuk dari {nomor_penelepon} (antrian {antrian}). Pelanggan melaporkan internet mati di {kota}.",
    "informasi_produk": "Panggilan masuk dari {nomor_penelepon} (antrian {antrian}). Pelanggan menanyakan {paket_baru}.",
    "ganti_paket": "Panggilan masuk dari {nomor_penelepon} (antrian {antrian}). Pelanggan ingin pindah ke {paket_baru}.",
}
VOICE_SUBJECTS = {
    "tagihan": "Telepon: pertanyaan tagihan",
    "pengembalian_dana": "Telepon: permintaan refund",
    "gangguan_teknis": "Telepon: laporan gangguan",
    "informasi_produk": "Telepon: info paket",
    "ganti_paket": "Telepon: ganti paket",
}

RESOLUTIONS = {
    "tagihan": "Terima kasih datanya, Kak {nama}. Pembayaran Kakak sudah kami verifikasi dan status tagihan sekarang lunas.",
    "gangguan_teknis": "Kak {nama}, tim teknis sudah memperbaiki gangguan di area {kota}. Silakan restart modem, koneksi seharusnya sudah normal.",
    "informasi_produk": "Kak {nama}, informasi lengkap paket dan cara daftar sudah kami kirim. Jika ada pertanyaan lain silakan hubungi kami kembali.",
    "pengembalian_dana": "Kak {nama}, pengembalian dana Rp{nominal} sudah kami proses ke rekening Kakak. Mohon cek dalam 7-14 hari kerja.",
    "ganti_paket": "Kak {nama}, perubahan ke {paket_baru} sudah kami proses dan berlaku mulai tagihan berikutnya.",
}

CUSTOMER_THANKS = (
    "Terima kasih banyak kak, sudah beres.",
    "Oke, sudah normal lagi. Makasih.",
    "Baik, terima kasih infonya.",
    "Siap kak, terima kasih atas bantuannya 🙏",
)

YOU_ARE_WELCOME = "Sama-sama Kak {nama}, senang bisa membantu."

REOPEN_MESSAGES = (
    "Maaf kak, ternyata masalahnya belum selesai. Tolong dicek lagi.",
    "Kak, saya cek lagi kok masih sama seperti kemarin ya?",
    "Belum beres kak, mohon dibantu lagi.",
)

PHONE_FOLLOWUP_NOTES = (
    "Pelanggan sudah ditelepon ke nomor terdaftar, masalah selesai lewat telepon.",
    "Sudah telepon pelanggan dan menjelaskan rincian tagihan. Pelanggan mengerti, tiket ditutup.",
    "Dihubungi via telepon: pelanggan konfirmasi layanan sudah normal.",
)

ESCALATION_NOTES = (
    "Eskalasi ke tim {tim}: perlu pengecekan lebih lanjut di sistem.",
    "Mohon dibantu tim {tim}, pelanggan sudah dua kali menghubungi untuk masalah yang sama.",
    "Diteruskan ke tim {tim} sesuai prosedur, data pelanggan sudah lengkap.",
)

ESCALATION_CUSTOMER_NOTICES = (
    "Halo Kak {nama}, laporan Kakak sudah kami teruskan ke tim {tim}. Kami akan kabari perkembangannya secepatnya.",
    "Terima kasih Kak {nama}, kasus Kakak perlu pengecekan lebih lanjut oleh tim {tim}. Mohon ditunggu ya.",
)

SPECIALIST_NOTES = {
    "Teknis": "Sudah dicek: ada kerusakan kabel di ODP dekat rumah pelanggan. Teknisi sudah memperbaiki.",
    "Tagihan": "Sudah dicek di sistem billing: pembayaran masuk tanggal {tanggal}. Status diperbarui manual.",
}

SIGN_OFF = "\n\nSalam,\n{agen}\nTim Layanan {merek}"

GOOD_RATING_COMMENTS = (
    "Pelayanan cepat dan ramah, terima kasih!",
    "Masalah langsung selesai. Mantap.",
    "Admin sangat membantu.",
    "",
)

BAD_RATING_COMMENTS = (
    "Lama sekali dibalasnya.",
    "Masalah belum selesai tapi tiket sudah ditutup.",
    "Jawabannya tidak membantu sama sekali.",
    "Harus menghubungi berkali-kali baru ditanggapi.",
)

BAD_RATING_REASONS = (
    "Masalah terlalu lama diselesaikan",
    "Masalah tidak terselesaikan",
    "Pengetahuan agen kurang memuaskan",
    "Sikap agen kurang memuaskan",
    "Alasan lain",
)


def greeting_word(local_hour: int) -> str:
    """Return the Indonesian greeting for the time of day: pagi, siang, sore or malam."""
    if local_hour < 11:
        return "pagi"
    if local_hour < 15:
        return "siang"
    if local_hour < 18:
        return "sore"
    return "malam"


def format_rupiah(amount: int) -> str:
    """Format an amount with dots between thousands, as Indonesian prices are written: `350.000`."""
    return f"{amount:,}".replace(",", ".")


def draw_nik(customer: Customer) -> str:
    """Return a 16-digit NIK for a customer: region code, district, birth date (day + 40 for women) and serial.

    The digits come from the customer's key, so a customer writes the same NIK in every ticket.
    """
    rng = random.Random(f"nik:{customer.customer_key}")
    day = rng.randint(1, 28) + rng.choice((0, 40))
    return f"{NIK_REGION_CODES.get(customer.city, '3174')}{rng.randint(1, 12):02d}{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{rng.randint(1, 999):04d}"


def template_values(rng: random.Random, customer: Customer, on_date: date, local_hour: int, brand: str) -> dict[str, str]:
    """Draw the values that fill one ticket's templates, so all its comments agree."""
    previous_month = MONTH_NAMES[(on_date.month - 2) % 12]
    usual_amount = rng.choice((185_000, 250_000, 330_000, 415_000, 550_000))
    other_packages = [package for package in INTERNET_PACKAGES if package != customer.package]
    return {
        "nama": customer.given_name,
        "nama_lengkap": customer.full_name,
        "nomor_pelanggan": customer.account_number,
        "bulan": MONTH_NAMES[on_date.month - 1],
        "bulan_lalu": previous_month,
        "nominal": format_rupiah(usual_amount + rng.choice((0, 45_000, 120_000, 275_000))),
        "nominal_biasa": format_rupiah(usual_amount),
        "denda": format_rupiah(rng.choice((25_000, 50_000))),
        "tanggal": f"{rng.randint(1, max(1, on_date.day))} {MONTH_NAMES[on_date.month - 1]}",
        "hari": rng.choice(("kemarin", "tadi pagi", "semalam", "dua hari lalu", "jam 7 pagi")),
        "kota": customer.city,
        "kecepatan": str(rng.choice((1, 2, 3, 5))),
        "paket": customer.package,
        "paket_baru": rng.choice(other_packages),
        "jumlah_hari": str(rng.randint(10, 30)),
        "salam": greeting_word(local_hour),
        "merek": brand,
        "telepon": format_phone(customer.national_number, "local_dashed"),
        "email": customer.email if customer.email is not None else f"pelanggan{customer.customer_key}@example.net",
        "nik": draw_nik(customer),
        "kartu": rng.choice(TEST_CARD_NUMBERS),
    }


def fill_template(template: str, values: dict[str, str]) -> str:
    return template.format(**values)
