"""Whatever a client sends, vote_web answers without a server error."""

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
bodies = (
    st.binary(max_size=300)
    | json_values.map(lambda value: {"json": value})
    | st.dictionaries(
        st.sampled_from(["vote", "Vote", "choice", ""]), json_values, max_size=3
    ).map(lambda body: {"json": body})
)
header_values = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "Content-Type": st.sampled_from(
            ["application/json", "text/plain", "application/x-www-form-urlencoded",
             "multipart/form-data", "application/json; charset=latin-1"]
        ) | header_values,
        "X-Request-ID": header_values,
        "Cookie": header_values.map(lambda value: f"voter={value}"),
        "Content-Encoding": header_values,
    },
)  # fmt: skip


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(body=bodies, extra_headers=headers)
def test_no_request_to_vote_gets_a_5xx(
    app: Flask, body: object, extra_headers: dict[str, str]
) -> None:
    client = app.test_client()
    if isinstance(body, dict):
        response = client.post("/vote", headers=extra_headers, **body)
    else:
        response = client.post("/vote", data=body, headers=extra_headers)

    assert response.status_code < 500
    assert response.is_json


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
    path=st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=30
    ),
)
def test_no_path_or_method_gets_a_5xx(app: Flask, method: str, path: str) -> None:
    response = app.test_client().open("/" + path.lstrip("/"), method=method)

    assert response.status_code < 500
