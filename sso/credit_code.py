"""统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters from a 31-character
alphabet (digits and capitals without I, O, S, V, Z), the last one a check character."""

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# registration authority (1–9, A–G, Y) and kind; six-digit administrative division code;
# nine-character organisation code; check character
SHAPE = re.compile(r"[1-9A-GY][1-9A-HJ-NPQRTUWXY][0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")


def check_character(first_17):
    remainder = sum(ALPHABET.index(char) * weight for char, weight in zip(first_17, WEIGHTS, strict=True)) % 31
    return ALPHABET[(31 - remainder) % 31]


def normalise_credit_code(value):
    """Upper-case without spaces, as people type and paste it."""
    return "".join((value or "").split()).upper()


def is_valid_credit_code(value):
    code = normalise_credit_code(value)
    if len(code) != 18 or not SHAPE.fullmatch(code):
        return False
    return check_character(code[:17]) == code[17]
