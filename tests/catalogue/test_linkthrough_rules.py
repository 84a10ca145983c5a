"""/go/ follows a handling URL only onto the matter's own registered platform."""

import pytest

from portal.catalogue.linkthrough import on_platform
from portal.models import Platform

PLATFORM = Platform(code="p", name="平台", base_url="https://zwfw.example.gov.cn", mobile_base_url="https://m.example.gov.cn")


@pytest.mark.unit
@pytest.mark.parametrize("url, allowed", [
    ("https://zwfw.example.gov.cn/apply/1", True),
    ("https://ZWFW.example.gov.cn/apply/1", True),
    ("https://m.example.gov.cn/apply/1", True),
    ("http://zwfw.example.gov.cn/apply/1", False),  # another scheme is another origin
    ("https://zwfw.example.gov.cn:8443/apply/1", False),
    ("https://zwfw.example.gov.cn@evil.example/apply", False),
    ("https://zwfw.example.gov.cn.evil.example/apply", False),
    ("https://evil.example/https://zwfw.example.gov.cn/", False),
    ("//zwfw.example.gov.cn/apply", False),
    ("javascript:alert(1)", False),
    ("", False),
    (None, False),
])
def test_only_the_platforms_own_origins_are_followed(url, allowed):
    assert on_platform(url, PLATFORM) is allowed


@pytest.mark.unit
def test_no_platform_means_no_redirect():
    assert on_platform("https://zwfw.example.gov.cn/apply/1", None) is False
