from ninja import NinjaAPI

api = NinjaAPI(title="ICMC API", version="1", urls_namespace="api")
