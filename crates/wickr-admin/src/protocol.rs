//! restJson1 helpers shared by the generated serializers and deserializers.
