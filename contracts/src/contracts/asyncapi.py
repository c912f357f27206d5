"""The AsyncAPI document of every topic, generated from the contract models.

`python -m contracts.asyncapi` rewrites contracts/asyncapi.yaml.
"""

from pathlib import Path
from typing import Any, Union

import yaml
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from contracts import topics
from contracts.registry import EVENTS_BY_TOPIC

ASYNCAPI_PATH = Path(__file__).resolve().parents[2] / "asyncapi.yaml"

DESCRIPTIONS = {
    topics.ASSESSMENT_EVENTS.name: "Assessments submitted, decisions made, reconsiderations.",
    topics.PAYMENTS_EVENTS.name: "Payment schedules, payments due/issued/failed, overpayments.",
    topics.CARE_PLANS_EVENTS.name: (
        "Care plans drafted, agreed, superseded; reviews; managed services."
    ),
    topics.NOTIFICATIONS_EVENTS.name: "Messages sent to people and their delivery status.",
    topics.BENEFITS_UC_CLAIMS.name: "Inbound: Universal Credit claims from the benefits system.",
}


def build_specification() -> Any:
    broker = KafkaBroker("kafka:9092", description="Care Benefit event backbone (CloudEvents JSON)")
    for topic, events in EVENTS_BY_TOPIC.items():
        broker.publisher(
            topic,
            title=topic,
            description=DESCRIPTIONS[topic] + " Key: person id.",
            schema=Union[events],  # noqa: UP007 - a runtime union of the topic's event classes
        )
    return AsyncAPI(
        broker,
        title="Care Benefit events",
        version="1.0.0",
        description="Every event the Care Benefit services exchange, one topic per producer.",
    ).to_specification()


def render_yaml() -> str:
    """Keys sorted: FastStream orders channels by set iteration, which varies between runs."""
    document = yaml.safe_load(build_specification().to_yaml())
    return yaml.safe_dump(document, sort_keys=True, allow_unicode=True, width=100)


if __name__ == "__main__":
    ASYNCAPI_PATH.write_text(render_yaml())
    print(ASYNCAPI_PATH)
