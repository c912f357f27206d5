"""Read APIs: the typed responses each service's GET endpoints return and the portal reads.

Each service owns one module here (`contracts.api.<service>`) and lists its models in
`READ_MODELS`. A service builds them in its one `entrypoints/views.py` and declares them as
`response_model`; the portal parses responses with the same classes. Their JSON Schemas are
snapshotted in `contracts/schemas/api/` and checked for breaking changes exactly as events are.
`contracts.api.access` is served by every service (the kit's audit routes).
"""

from pydantic import BaseModel

from contracts.api import access, assessment, care_plans, notifications, operations, payments

READ_MODELS: dict[str, type[BaseModel]] = {
    f"{module.SERVICE}.{model.__name__}": model
    for module in (assessment, payments, care_plans, notifications, access, operations)
    for model in module.READ_MODELS
}
