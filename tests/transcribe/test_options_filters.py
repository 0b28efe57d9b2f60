"""Options and the hallucination filter: pure functions, no model."""

from __future__ import annotations

import dataclasses

import pytest

from transcribe import filters
from transcribe.options import MIN_WINDOW_S, TranscribeOptions


def test_options_are_frozen_and_change_by_replace() -> None:
    options = TranscribeOptions()
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.beam_size = 5  # type: ignore[misc]
    changed = dataclasses.replace(options, beam_size=5)
    assert (options.beam_size, changed.beam_size) == (1, 5)
    assert options.language == "vi"
    assert not hasattr(options, "__dict__")  # slots


def test_options_accept_a_mapping_and_refuse_unknown_keys() -> None:
    options = TranscribeOptions.coerce({"vocabulary": ["Sở Tài chính"], "batch_size": 4})
    assert options.vocabulary == ("Sở Tài chính",)
    assert options.batch_size == 4
    assert TranscribeOptions.coerce(None) == TranscribeOptions()
    assert TranscribeOptions.coerce(options) is options
    with pytest.raises(ValueError, match="beam"):
        TranscribeOptions.coerce({"beam": 5})
    with pytest.raises(ValueError):
        TranscribeOptions(window_s=10)
    with pytest.raises(ValueError):
        TranscribeOptions(max_prompt_tokens=400)


@pytest.mark.parametrize(
    "invented",
    [
        "Hãy subscribe cho kênh Ghiền Mì Gõ để không bỏ lỡ những video hấp dẫn.",
        "Hãy đăng ký kênh để không bỏ lỡ những video hấp dẫn",
        "Cảm ơn các bạn đã theo dõi.",
        "Hẹn gặp lại các bạn trong những video tiếp theo!",
        "Thanks for watching!",
        "Vietsub by LaLa",
    ],
)
def test_youtube_outros_are_removed(invented: str) -> None:
    assert filters.clean_text(invented) == ""
    sentence = invented.rstrip(".!") + "."
    kept = filters.clean_text(f"Giao Sở Tài chính chủ trì. {sentence} Xin cảm ơn.")
    assert kept == "Giao Sở Tài chính chủ trì. Xin cảm ơn."


def test_meeting_sentences_are_kept_as_they_are() -> None:
    for sentence in [
        "Cảm ơn các đồng chí đã tham dự phiên họp.",
        "Đề nghị các sở, ngành theo dõi tiến độ.",
        "Rất rất rất quan trọng.",
        "Vâng, vâng.",
    ]:
        assert filters.clean_text(sentence) == sentence


def test_phrase_loops_collapse_to_one_copy() -> None:
    looped = "Giao Sở Tài chính chủ trì " + "xin cảm ơn " * 8 + "các đồng chí."
    assert filters.clean_text(looped) == "Giao Sở Tài chính chủ trì xin cảm ơn các đồng chí."
    assert filters.collapse_loops("có có có có có có có") == "có"
    assert filters.collapse_loops("a b a b") == "a b a b"


def test_a_segment_over_silence_is_recognised() -> None:
    speech = [(0.0, 5.0), (20.0, 25.0)]
    assert filters.mostly_silent(8.0, 15.0, speech, min_overlap=0.3)
    assert not filters.mostly_silent(1.0, 4.0, speech, min_overlap=0.3)
    assert not filters.mostly_silent(3.0, 7.0, speech, min_overlap=0.3)
    assert filters.overlap(4.0, 21.0, speech) == pytest.approx(2.0)


def test_the_same_text_over_and_over_is_a_loop() -> None:
    assert filters.is_repeat_of_previous("Xin cảm ơn.", ["Xin cảm ơn.", "xin cảm ơn"])
    assert not filters.is_repeat_of_previous("Xin cảm ơn.", ["Xin cảm ơn."])
    assert not filters.is_repeat_of_previous("Xin cảm ơn.", ["Khác.", "Xin cảm ơn."])


def test_windows_are_short_enough_for_progress_on_long_recordings() -> None:
    options = TranscribeOptions()
    hour = 3600.0
    assert options.window_length(None) == options.window_s  # length unknown
    assert options.window_length(48.0) == MIN_WINDOW_S  # a short file keeps whole clips
    for duration in (20 * 60.0, hour, 2 * hour, 3 * hour):
        # at least ten steps a recording: the chat moves at least every 10 %
        assert duration / options.window_length(duration) >= 10
    assert options.window_length(3 * hour) == options.window_s
