"""Settings from an injected environment and the CPU raster path; GPU and IO gaps stay open."""

from pathlib import Path

from printshop.raster import plan_raster
from printshop.settings import load_settings


def test_load_settings_reads_printshop_variables_from_given_mapping() -> None:
    settings = load_settings({"PRINTSHOP_HOME": "/srv/shop", "PRINTSHOP_DPI": "600"})
    assert settings.queue_file == Path("/srv/shop/queue.jsonl")
    assert settings.dpi == 600
    assert settings.device == "cpu"


def test_plan_raster_on_cpu_uses_one_tile_of_a4_size() -> None:
    plan = plan_raster(100)
    assert (plan.width_dots, plan.height_dots, plan.tiles) == (827, 1169, 1)
