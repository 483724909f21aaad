import pytest

# A made-up holiday file for 2027, for tests only (not the State Council's 2027 notice).
TEST_2027_CSV = """date,kind,name
2027-01-01,holiday,元旦
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-13,holiday,春节
2027-02-20,workday,春节
"""


@pytest.fixture
def csv_2027() -> bytes:
    return TEST_2027_CSV.encode("utf-8")
