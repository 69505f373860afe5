"""User-given 2D data: CSV uploads and canvas drawings are checked before anything trains."""
import numpy as np
import pytest

from explainer.ui.gan.points_input import MAX_UPLOAD_BYTES, load_points, parse_csv, points_from_drawing, save_points


def csv_of(rows, header="x,y\n"):
    return (header + "\n".join(f"{a},{b}" for a, b in rows)).encode()


def test_a_good_csv_with_a_header_parses():
    rows = np.random.default_rng(0).normal(size=(50, 2))
    xy = parse_csv(csv_of(rows))
    assert xy.shape == (50, 2) and np.allclose(xy, rows)


def test_semicolons_and_extra_columns_are_fine():
    data = "\n".join(f"{i};{i * 2};label" for i in range(20)).encode()
    assert parse_csv(data).shape == (20, 2)


@pytest.mark.parametrize("data, message", [
    (csv_of([(1, 2)] * 5), "at least 10"),
    (csv_of([(1, "nan")] * 20), "finite"),
    (csv_of([(1, "inf")] * 20), "finite"),
    (csv_of([(1, 1)] * 20), "same point"),
    (b"only,one\n" + b"1\n" * 20, "two numeric columns"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b"", "could not be read"),
    (b"a,b\nx,y\n" * 20, "two numeric columns"),
])
def test_bad_csvs_get_a_clear_message(data, message):
    with pytest.raises(ValueError, match=message):
        parse_csv(data)


def test_oversized_upload_is_refused_before_parsing():
    with pytest.raises(ValueError, match="limit"):
        parse_csv(b"1,2\n" * (MAX_UPLOAD_BYTES // 4 + 10))


def test_empty_canvas_is_refused():
    with pytest.raises(ValueError, match="empty"):
        points_from_drawing({"objects": []})
    with pytest.raises(ValueError, match="empty"):
        points_from_drawing(None)


def test_a_stroke_becomes_points_in_the_unit_square_with_y_up():
    path = [["M", 0, 0]] + [["Q", 10 * i, 10 * i, 10 * i + 5, 10 * i + 5] for i in range(1, 30)]
    xy = points_from_drawing({"objects": [{"type": "path", "path": path}]})
    assert len(xy) >= 10 and np.abs(xy).max() < 1.1
    assert xy[:, 1].mean() > 0  # top-left of the canvas is up-left in data space
    # the canvas's Fabric.js (6+) names the type "Path": the same stroke, the same points
    np.testing.assert_array_equal(points_from_drawing({"objects": [{"type": "Path", "path": path}]}), xy)


def test_saved_points_round_trip_and_bad_ids_are_refused(isolated_cache):
    arr = np.random.default_rng(1).normal(size=(30, 2))
    digest = save_points(arr)
    assert np.allclose(load_points(digest), arr)
    assert load_points("../../etc/pa") is None and load_points("0" * 12) is None
