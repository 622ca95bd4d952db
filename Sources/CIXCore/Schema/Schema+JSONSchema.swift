import CIXCanonicalJSON

/// JSON Schema (draft 2020-12) for the schema language, used to write
/// `Protocol/schemas/` so that the published schemas and the code cannot drift.
extension Schema {
    public func jsonSchema(description: String? = nil) -> JSONObject {
        var schema: JSONObject
        switch self {
        case .text(let min, let max, let multiline):
            schema = JSONObject([
                "type": "string", "minLength": .number(Double(min)), "maxLength": .number(Double(max)),
                "pattern": .string(
                    multiline ? "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f]*$" : "^[^\\u0000-\\u001f\\u007f]*$"
                ),
            ])
        case .code(let max):
            schema = JSONObject(["type": "string", "pattern": .string("^[a-z0-9][a-z0-9_.-]{0,\(max - 1)}$")])
        case .oneOf(let choices):
            schema = JSONObject(["type": "string", "enum": .array(choices.map { .string($0) })])
        case .hex(let bytes):
            schema = JSONObject(["type": "string", "pattern": .string("^[0-9a-f]{\(bytes * 2)}$")])
        case .hexData(let range):
            schema = JSONObject([
                "type": "string",
                "pattern": .string("^([0-9a-f]{2}){\(range.lowerBound),\(range.upperBound)}$"),
            ])
        case .timestamp:
            schema = JSONObject([
                "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
            ])
        case .integer(let range):
            schema = JSONObject([
                "type": "integer", "minimum": .number(Double(range.lowerBound)),
                "maximum": .number(Double(range.upperBound)),
            ])
        case .number(let range):
            schema = JSONObject([
                "type": "number", "minimum": .number(range.lowerBound), "maximum": .number(range.upperBound),
            ])
        case .constant(let value):
            schema = JSONObject(["const": .number(value)])
        case .array(let element, let min, let max, let sortedUnique):
            schema = JSONObject([
                "type": "array", "items": .object(element.jsonSchema()), "minItems": .number(Double(min)),
                "maxItems": .number(Double(max)),
            ])
            if sortedUnique { schema["uniqueItems"] = true }
        case .object(let fields, let minMembers):
            var properties = JSONObject()
            for field in fields { properties[field.name] = .object(field.schema.jsonSchema(description: field.about)) }
            schema = JSONObject([
                "type": "object", "properties": .object(properties), "additionalProperties": false,
                "required": .array(fields.filter(\.required).map { .string($0.name) }),
            ])
            if minMembers > 0 { schema["minProperties"] = .number(Double(minMembers)) }
        case .audience:
            schema = JSONObject([
                "oneOf": .array([
                    .object(JSONObject(["const": "public"])),
                    .object(
                        Schema.array(.hex(bytes: 32), min: 1, max: Limits.maxAudience, sortedUnique: true).jsonSchema()
                    ),
                ])
            ])
        case .area:
            let position = Schema.array(.number(-180...180), min: 2, max: 2).jsonSchema()
            let ring = JSONObject(["type": "array", "minItems": 4, "items": .object(position)])
            let polygon = JSONObject(["type": "array", "minItems": 1, "items": .object(ring)])
            schema = JSONObject([
                "oneOf": .array([
                    .object(
                        JSONObject([
                            "type": "object", "required": .array(["type", "coordinates"]),
                            "additionalProperties": false,
                            "properties": .object(
                                JSONObject([
                                    "type": .object(JSONObject(["const": "Polygon"])), "coordinates": .object(polygon),
                                ])
                            ),
                        ])
                    ),
                    .object(
                        JSONObject([
                            "type": "object", "required": .array(["type", "coordinates"]),
                            "additionalProperties": false,
                            "properties": .object(
                                JSONObject([
                                    "type": .object(JSONObject(["const": "MultiPolygon"])),
                                    "coordinates": .object(
                                        JSONObject(["type": "array", "minItems": 1, "items": .object(polygon)])
                                    ),
                                ])
                            ),
                        ])
                    ),
                ])
            ])
        }
        if let description { schema["description"] = .string(description) }
        return schema
    }
}
