def test_app_starts_and_answers_health(client):
    assert client.get("/healthz").json["status"] == "ok"
