"""The watched topics of the loaded packs (`topics:`), for the binding to the prose."""

from __future__ import annotations

from tospolicy.binding.topics import Topic, make_topic
from tospolicy.packs.reading import Loading, PackFile


def collect_topics(loading: Loading, sources: list[PackFile]) -> list[Topic]:
    """Every pack's topics, in load order; a name two packs define is a problem."""
    topics, owners = [], {}
    for source in sources:
        for number, entry in enumerate(source.data.get("topics") or []):
            name = entry["name"]
            if name in owners:
                loading.problem(source.at("topics", number, "name"),
                                f"topic '{name}' is already defined by pack '{owners[name]}'")
                continue
            owners[name] = source.data["pack"]
            topics.append(make_topic(name, entry.get("label", name),
                                     entry.get("severity", "warning"), entry.get("words") or {},
                                     source.data["pack"], source.at("topics", number).line))
    return topics
