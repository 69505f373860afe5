"""AppTest for the Interpretability page: each section runs under the real app shell from the shipped runs (nothing
trains), its sentences carry the numbers it measured, and hostile links and empty drawings get a clear message."""
import re

import pytest

from explainer.deep_learning.cnn import CNNConfig, digits_cnn
from explainer.interpretability import sanity
from explainer.interpretability.attributions import METHODS
from explainer.runs.jobs import get_registry
from explainer.ui.digit_canvas import EMPTY
from tests.support.apptest import run_clean

PAGE = "site_pages/interpretability.py"


def page(query=None):
    return run_clean(PAGE, query)


def text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def charts(at) -> int:
    return len(at.get("plotly_chart"))


def test_the_default_section_shows_six_maps_with_formulas_and_references():
    at = page()
    assert at.title[0].value.startswith("Interpretability")
    assert charts(at) == 2 + 1 + 6  # input and baseline, softmax, six maps
    assert len(at.latex) == 6
    body = text(at)
    assert "the network says" in body and "References" in [h.value for h in at.header]
    for ref in ("Captum", "Sanity Checks for Saliency Maps", "t-SNE visualization of CNN codes", "Integrated"):
        assert ref in body, ref
    assert not any("has not been trained" in i.value for i in at.info)  # shipped: nothing trains on first load


def test_the_completeness_sentence_is_computed():
    at = page({"digit": "5"})
    said = [e.value for e in at.get("expander")] + [m.value for m in at.markdown]
    line = next(s for s in said if "sum to" in str(s))
    total, gap = map(float, re.search(r"sum to (-?[\d.]+) and z\(x\) − z\(x′\) = (-?[\d.]+)", line).groups())
    assert total == pytest.approx(gap, abs=0.05 * abs(gap) + 0.01)


def test_the_sanity_section_reports_the_correlations_it_measured():
    at = page({"section": "sanity", "digit": "3"})
    assert charts(at) >= 6 + 1 + 12  # six maps, the ρ chart, both networks' maps
    cnn = digits_cnn(get_registry().result_of(CNNConfig()))
    image = cnn.test_images[3]
    predicted = int(cnn.model(__import__("torch").as_tensor(image).reshape(1, 1, 8, 8)).argmax())
    rho = sanity.cascade(cnn.model, image, predicted)["similarity"]["saliency"][-1]
    line = next(m.value for m in at.markdown if m.value.startswith("With every layer re-initialised"))
    assert f"Gradient (saliency) (ρ = {rho:.2f})" in line
    labels = [m.label for m in at.metric]
    assert any(lbl.startswith("Shuffled labels") for lbl in labels)


def test_the_stage_slider_moves_through_the_cascade():
    at = page({"section": "sanity", "stage": "0"})
    assert "The maps with trained" in [s.value for s in at.subheader]
    at.select_slider[0].set_value(2).run()
    assert not at.exception and "The maps with fc, conv2 random" in [s.value for s in at.subheader]


def test_the_learned_section_draws_both_embeddings_and_a_channel():
    at = page({"section": "learned", "point": "10", "channel": "3"})
    assert charts(at) >= 5  # two t-SNEs, two neighbour strips, the optimised input
    assert any(s.value.startswith("Nearest neighbours of digit #10") for s in at.subheader)


def test_the_robustness_section_attacks_and_reports_accuracy():
    at = page({"section": "robustness", "eps": "0.2", "attack": "pgd"})
    line = next(m.value for m in at.markdown if m.value.startswith("On the "))
    assert "(PGD" in line and "ε = 0.20" in line
    assert "the attack turns" in line and "digits it reads correctly into mistakes" in line
    assert charts(at) == 2 + 4 + 6  # accuracy and this digit over ε, the attack, three pairs of maps


def test_the_default_adversarial_example_is_fooled():
    """The section's default digit, ε and attack show what the section is about: the answer changes."""
    at = page({"section": "robustness"})
    title = next(s.value for s in at.subheader if "→" in s.value)
    before, after = (part.split(" (")[0].rsplit(" ", 1)[-1] for part in title.split(" at ε")[0].split("→"))
    assert before != after, title


@pytest.mark.parametrize("section", ["attributions", "sanity", "robustness"])
def test_an_empty_drawing_gets_a_clear_message_not_an_exception(section):
    at = page({"section": section, "input": "draw"})
    assert any(EMPTY in i.value for i in at.info)


@pytest.mark.parametrize("query, key", [({"eps": "5"}, "eps"), ({"stage": "-3"}, "stage"),
                                        ({"channel": "99"}, "channel"), ({"baseline": "sky"}, "baseline"),
                                        ({"section": "nope"}, "section"), ({"digit": "abc"}, "digit")])
def test_out_of_range_or_garbled_links_are_fixed_with_a_notice(query, key):
    at = page({"section": "robustness", **query} if key != "section" else query)
    notice = " ".join(w.value for w in at.warning)
    assert "link parameters were fixed" in notice and f"`{key}" in notice


def test_a_mistake_index_beyond_the_models_mistakes_is_clamped():
    at = page({"input": "mistake", "mistake": "99"})
    assert "✗" in text(at)  # a real mistake is shown


def test_every_method_has_a_paper():
    assert all(m.paper and m.formula for m in METHODS.values())
