"""The counter's ``quote`` command; ``queue`` and ``run`` need a settings seam first."""

import pytest
from printshop.cli import main


def test_quote_prints_sheets_and_price(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "ana", "flyer.pdf", "--pages", "1-2", "--page-count", "2"]) == 0
    assert capsys.readouterr().out == "ana: 2 sheets, €0.16\n"
