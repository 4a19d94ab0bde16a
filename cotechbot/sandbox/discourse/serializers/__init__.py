"""JSON as Discourse's serializers shape it, one module per resource; pure functions of the store and viewer."""
