import CIXCanonicalJSON
import CIXCore

/// `Protocol/taxonomy.json`, generated from `Taxonomy`.
package enum TaxonomyDocument {
    package static var json: JSONObject {
        JSONObject([
            "about":
                "The CIX shared category taxonomy, version 1. Codes are stable; open311 is the GeoReport v2 service_code.",
            "categories": .array(
                Taxonomy.categories.map { category in
                    .object(
                        JSONObject([
                            "code": .string(category.code), "name": .string(category.name),
                            "group": .string(category.group),
                            "description": .string(category.description), "open311": .string(category.open311),
                            "keywords": .array(category.keywords.map { .string($0) }),
                        ])
                    )
                }
            ),
        ])
    }

    package static var text: String { PrettyJSON.render(.object(json)) }
}
