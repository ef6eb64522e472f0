"""The false merges and splits of one clustering of ecbplus-dev, with the evidence behind each
(issue 19): which merge joined two events, at what average link, through which pairs and
which shared names, and which reuse verdicts (overrides, copies) took part; which event was
left in parts, and how close its parts came to joining.

Read by `python -m bench.story_analyze_cv --errors`. A listing for a reader, not a score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from bench.analyzed import Analyzed
from bench.story_cv import Corpus
from newstrace.stages.reuse.candidates import ordered_pair
from newstrace.stages.stories.agglomerate import merges
from newstrace.stages.stories.cluster import ClusterConfig, copy_pairs, relation_overrides
from newstrace.stages.stories.events import event_term_strings, term_key

Pair = tuple[str, str]


def described(found: Analyzed, corpus: Corpus, config: ClusterConfig) -> list[str]:
    from bench.story_analyze_cv import analyze_edges

    edges = analyze_edges(found, config)
    names = analyze_edges(found, config, verdicts=False)
    overrides = relation_overrides(found.relations, config)
    verdict = {ordered_pair(r.a, r.b): r.relation for r, _ in found.relations}
    items = sorted(found.terms)
    done = merges(items, edges, config.threshold)
    gold = corpus.gold
    lines = [f"## false merges at threshold {config.threshold} (whole corpus, analyze path)", ""]
    members: dict[str, list[str]] = {item: [item] for item in items}
    for height, x, y in done:
        left, right = members[x], members.pop(y)
        wrong = sum(gold[a] != gold[b] for a in left for b in right)
        if wrong:
            lines += _merge(height, left, right, wrong, edges, names, overrides, verdict,
                            found, corpus)
        left.extend(right)
    lines += ["", "## copies joining two events after clustering", ""]
    for a, b in copy_pairs(found.relations, config):
        if gold[a] != gold[b]:
            lines.append(f"- {a} ({gold[a]}) ~ {b} ({gold[b]}): {verdict[ordered_pair(a, b)]}")
    lines += ["", "## events left in parts", ""]
    lines += _splits(list(members.values()), edges, gold)
    return [*_by_topic(list(members.values()), corpus), "", *lines]


def _by_topic(groups: list[list[str]], corpus: Corpus) -> list[str]:
    """False and missed pairs per topic, the topics with any first."""
    wrong: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    story = {item: number for number, group in enumerate(groups) for item in group}
    items = sorted(story)
    for n, a in enumerate(items):
        for b in items[n + 1:]:
            same_story, same_event = story[a] == story[b], corpus.gold[a] == corpus.gold[b]
            if same_story and not same_event:
                wrong[corpus.topic[a]] += 1
            elif same_event and not same_story:
                missed[corpus.topic[a]] += 1
    topics = sorted(set(wrong) | set(missed), key=lambda t: -(wrong[t] + missed[t]))
    return ["## false and missed pairs by topic", "",
            f"- total: {wrong.total()} false, {missed.total()} missed",
            *(f"- topic {t}: {wrong[t]} false, {missed[t]} missed" for t in topics)]


def _merge(height: float, left: list[str], right: list[str], wrong: int,
           edges: Mapping[Pair, float], names: Mapping[Pair, float],
           overrides: Mapping[Pair, float], verdict: Mapping[Pair, str], found: Analyzed,
           corpus: Corpus) -> list[str]:
    gold = corpus.gold
    cross = sorted(((edges.get(ordered_pair(a, b), 0.0), a, b) for a in left for b in right
                    if gold[a] != gold[b]), reverse=True)
    lines = [f"- merge at {height:.4f}: {_events(left, gold)} + {_events(right, gold)}; "
             f"{wrong} false pairs, {len(left) * len(right) - wrong} true; cross-event links "
             f"summing {sum(value for value, _, _ in cross):.2f}"]
    for value, a, b in cross[:4]:
        if value <= 0:
            break
        pair = ordered_pair(a, b)
        how = [f"names {names.get(pair, 0.0):.3f}"]
        if pair in overrides:
            how.append(f"override {overrides[pair]:.2f}")
        if pair in verdict:
            how.append(f"verdict {verdict[pair]}")
        lines.append(f"  - {a} ~ {b}: {value:.3f} ({', '.join(how)}); shared: "
                     f"{_shared(corpus.texts[a], corpus.texts[b], found)}")
    return lines


def _shared(a: str, b: str, found: Analyzed, most: int = 10) -> str:
    """The event terms both texts give, rarest first (by the collection's frequencies)."""
    ours, theirs = event_term_strings(a), event_term_strings(b)
    both = sorted((found.df.get(term_key(term), 0), term) for term in set(ours) & set(theirs))
    return ", ".join(f"{term} ({df})" for df, term in both[:most] if df > 1)


def _events(group: list[str], gold: Mapping[str, str]) -> str:
    return "{" + ", ".join(f"{event}: {n}" for event, n in Counter(gold[a] for a in group)
                           .most_common()) + "}"


def _splits(groups: list[list[str]], edges: Mapping[Pair, float],
            gold: Mapping[str, str]) -> list[str]:
    lines = []
    parts: dict[str, list[int]] = {}
    for number, group in enumerate(groups):
        for event in set(gold[a] for a in group):
            parts.setdefault(event, []).append(number)
    for event, numbers in sorted(parts.items()):
        if len(numbers) < 2:
            continue
        sizes = [sum(gold[a] == event for a in groups[n]) for n in numbers]
        main = numbers[sizes.index(max(sizes))]
        for number, size in zip(numbers, sizes, strict=True):
            if number == main:
                continue
            link = sum(edges.get(ordered_pair(a, b), 0.0) for a in groups[main]
                       for b in groups[number]) / (len(groups[main]) * len(groups[number]))
            lines.append(f"- event {event}: {size} of it in a story of {len(groups[number])} "
                         f"{_events(groups[number], gold)}, apart from its main part "
                         f"({max(sizes)} in {len(groups[main])}); average link {link:.4f}")
    return lines
