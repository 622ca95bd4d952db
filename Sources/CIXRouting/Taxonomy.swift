/// The shared category taxonomy: what places really report, with stable codes.
///
/// `Protocol/taxonomy.json` is generated from this table (`cix categories list
/// --json`) and a test keeps the two equal. Codes never change meaning; new
/// categories are added, old ones only deprecated.
package enum Taxonomy {
    package struct Category: Sendable, Equatable {
        package let code: String
        package let name: String
        package let group: String
        package let description: String
        /// The GeoReport v2 `service_code` for this category.
        package let open311: String
        package let keywords: [String]
    }

    static func c(
        _ code: String,
        _ name: String,
        _ group: String,
        _ description: String,
        _ open311: String,
        _ keywords: [String]
    ) -> Category {
        Category(code: code, name: name, group: group, description: description, open311: open311, keywords: keywords)
    }

    package static let categories: [Category] = [
        c(
            "pothole",
            "Pothole",
            "Roads and pavements",
            "A hole or sunken patch in a road or car park surface.",
            "RD-001",
            ["road", "hole", "surface"]
        ),
        c(
            "road_surface",
            "Damaged road surface",
            "Roads and pavements",
            "Cracked, crumbling or uneven road surface that is not a single pothole.",
            "RD-002",
            ["road", "cracks", "resurfacing"]
        ),
        c(
            "pavement",
            "Damaged pavement",
            "Roads and pavements",
            "Broken, uneven or raised paving, kerbs or footpaths; trip hazards.",
            "RD-003",
            ["footpath", "paving", "kerb", "trip"]
        ),
        c(
            "road_obstruction",
            "Obstruction on the road or pavement",
            "Roads and pavements",
            "Something blocking a road, pavement or cycle lane: skips, scaffolding, debris, overgrowth.",
            "RD-004",
            ["blocked", "debris", "skip"]
        ),
        c(
            "road_markings",
            "Road markings and signs",
            "Roads and pavements",
            "Faded, missing or wrong road markings, damaged or missing road signs.",
            "RD-005",
            ["signs", "lines", "markings"]
        ),
        c(
            "gritting",
            "Ice, snow and gritting",
            "Roads and pavements",
            "Roads or pavements needing grit; empty grit bins.",
            "RD-006",
            ["ice", "snow", "grit"]
        ),
        c(
            "street_lighting",
            "Street lighting",
            "Roads and pavements",
            "A street light that is out, flickering, on in daytime or damaged.",
            "LT-001",
            ["lamp", "light", "dark"]
        ),
        c(
            "traffic_signals",
            "Traffic lights and crossings",
            "Roads and pavements",
            "Traffic signals or pedestrian crossings that are faulty, stuck or damaged.",
            "TS-001",
            ["traffic lights", "crossing", "signal"]
        ),
        c(
            "cycle_route",
            "Cycle routes",
            "Roads and pavements",
            "Problems with cycle lanes and paths: damage, obstruction, missing signs.",
            "RD-007",
            ["bike", "cycle lane"]
        ),
        c(
            "fly_tipping",
            "Fly-tipping",
            "Waste and cleanliness",
            "Rubbish, furniture, building waste or other items dumped illegally.",
            "WS-001",
            ["dumping", "rubbish", "tipping"]
        ),
        c(
            "litter",
            "Litter",
            "Waste and cleanliness",
            "Litter on streets, verges or open spaces; overflowing litter bins.",
            "WS-002",
            ["rubbish", "mess"]
        ),
        c(
            "bins",
            "Bins and collections",
            "Waste and cleanliness",
            "Missed household collections, damaged or missing bins, recycling problems.",
            "WS-003",
            ["collection", "recycling", "waste"]
        ),
        c(
            "graffiti",
            "Graffiti",
            "Waste and cleanliness",
            "Graffiti or fly-posting on walls, shelters, signs or street furniture.",
            "WS-004",
            ["tag", "spray paint", "fly-posting"]
        ),
        c(
            "dog_fouling",
            "Dog fouling",
            "Waste and cleanliness",
            "Dog mess on pavements, paths or open spaces; dog bins needed.",
            "WS-005",
            ["dog mess", "dog bin"]
        ),
        c(
            "street_cleaning",
            "Street cleaning",
            "Waste and cleanliness",
            "Streets needing sweeping: leaves, mud, broken glass, spills.",
            "WS-006",
            ["sweeping", "glass", "leaves"]
        ),
        c(
            "needles",
            "Discarded needles",
            "Waste and cleanliness",
            "Syringes or drug paraphernalia left in public places.",
            "WS-007",
            ["syringe", "sharps"]
        ),
        c(
            "abandoned_vehicle",
            "Abandoned vehicle",
            "Vehicles and parking",
            "A vehicle that seems abandoned: untaxed, damaged, not moved for weeks.",
            "VH-001",
            ["car", "abandoned"]
        ),
        c(
            "parking",
            "Parking",
            "Vehicles and parking",
            "Illegal or dangerous parking, blocked driveways, parking on pavements.",
            "VH-002",
            ["parked", "driveway", "double yellow"]
        ),
        c(
            "noise",
            "Noise",
            "Neighbourhood and safety",
            "Persistent noise from homes, businesses, alarms, construction or events.",
            "NS-001",
            ["loud", "music", "alarm"]
        ),
        c(
            "antisocial_behaviour",
            "Anti-social behaviour",
            "Neighbourhood and safety",
            "Behaviour causing harassment, alarm or distress in a public place.",
            "AS-001",
            ["ASB", "harassment", "nuisance"]
        ),
        c(
            "drug_dealing",
            "Drug dealing",
            "Neighbourhood and safety",
            "Suspected drug dealing or drug use in a public place. In an emergency call 999.",
            "AS-002",
            ["drugs", "dealing"]
        ),
        c(
            "vandalism",
            "Vandalism and criminal damage",
            "Neighbourhood and safety",
            "Deliberate damage to public property, street furniture or buildings.",
            "AS-003",
            ["damage", "smashed"]
        ),
        c(
            "street_drinking",
            "Street drinking",
            "Neighbourhood and safety",
            "Drinking in public places causing a nuisance.",
            "AS-004",
            ["alcohol", "drinking"]
        ),
        c(
            "speeding",
            "Speeding and dangerous driving",
            "Neighbourhood and safety",
            "Persistent speeding, racing or dangerous driving on a street.",
            "AS-005",
            ["speed", "racing", "traffic"]
        ),
        c(
            "bus_route",
            "Bus routes",
            "Public transport",
            "A missing or changed bus route; places the network does not reach.",
            "PT-001",
            ["bus", "route", "network"]
        ),
        c(
            "bus_timetable",
            "Bus timetables and reliability",
            "Public transport",
            "Buses too early, too late, too rare or not running; no service when it is needed.",
            "PT-002",
            ["bus", "timetable", "late", "early"]
        ),
        c(
            "bus_stop",
            "Bus stops and shelters",
            "Public transport",
            "Damaged or missing bus stops, shelters, timetables or seating.",
            "PT-003",
            ["shelter", "stop"]
        ),
        c(
            "transport_accessibility",
            "Accessible transport",
            "Public transport",
            "Buses, stops or stations that wheelchair users or others cannot use.",
            "PT-004",
            ["wheelchair", "ramp", "step-free"]
        ),
        c(
            "rail_station",
            "Railway stations",
            "Public transport",
            "Problems at railway stations: facilities, access, safety.",
            "PT-005",
            ["train", "station"]
        ),
        c(
            "parks",
            "Parks and open spaces",
            "Parks and trees",
            "Damage or problems in parks, play areas, benches and open spaces.",
            "PK-001",
            ["park", "play area", "bench"]
        ),
        c(
            "trees",
            "Trees",
            "Parks and trees",
            "Fallen, dangerous or overhanging trees and branches; roots damaging paths.",
            "PK-002",
            ["branch", "roots", "hedge"]
        ),
        c(
            "grass_verges",
            "Grass cutting and verges",
            "Parks and trees",
            "Overgrown grass, verges or hedges on public land.",
            "PK-003",
            ["mowing", "overgrown"]
        ),
        c(
            "public_toilets",
            "Public toilets",
            "Parks and trees",
            "Public toilets closed, dirty or damaged.",
            "PK-004",
            ["toilet", "loo"]
        ),
        c(
            "flooding",
            "Flooding",
            "Water and drainage",
            "Flooding of roads, paths or property from rain, rivers or drains.",
            "WD-001",
            ["flood", "water"]
        ),
        c(
            "drains",
            "Blocked drains and gullies",
            "Water and drainage",
            "Blocked or damaged road drains, gullies and ditches.",
            "WD-002",
            ["gully", "drain", "blocked"]
        ),
        c(
            "water_leak",
            "Water leaks",
            "Water and drainage",
            "Water leaking from mains, pipes or hydrants in the street.",
            "WD-003",
            ["leak", "burst", "pipe"]
        ),
        c(
            "housing_repairs",
            "Council or social housing repairs",
            "Housing",
            "Repairs needed in council or housing association homes and their shared areas.",
            "HS-001",
            ["repair", "damp", "tenant"]
        ),
        c(
            "empty_property",
            "Empty or derelict property",
            "Housing",
            "Empty, derelict or dangerous buildings.",
            "HS-002",
            ["derelict", "empty", "dangerous building"]
        ),
        c(
            "rough_sleeping",
            "Someone sleeping rough",
            "Housing",
            "A person sleeping rough who may need help. If they are in danger call 999.",
            "HS-003",
            ["homeless", "rough sleeper"]
        ),
        c(
            "pests",
            "Pests and vermin",
            "Public health",
            "Rats, mice, wasps or other pests in public places or affecting homes.",
            "PH-001",
            ["rats", "vermin", "infestation"]
        ),
        c(
            "food_safety",
            "Food safety",
            "Public health",
            "Concerns about hygiene at a food business.",
            "PH-002",
            ["restaurant", "hygiene"]
        ),
        c(
            "pollution",
            "Pollution",
            "Public health",
            "Smoke, bonfires, smells, air or water pollution.",
            "PH-003",
            ["smoke", "smell", "air quality"]
        ),
        c(
            "public_health",
            "Other public health concerns",
            "Public health",
            "Health risks in public places not covered elsewhere.",
            "PH-004",
            ["health"]
        ),
        c(
            "accessibility",
            "Accessibility barriers",
            "Accessibility",
            "Places people with disabilities cannot use: steps without ramps, blocked dropped kerbs, missing tactile paving.",
            "AC-001",
            ["wheelchair", "ramp", "dropped kerb"]
        ),
        c(
            "community_help",
            "Community help needed",
            "Community",
            "Something neighbours and volunteers could help with: a clean-up, a lift, a check-in.",
            "CM-001",
            ["volunteer", "help"]
        ),
        c("other", "Something else", "Other", "Anything that fits no other category.", "OT-001", []),
    ]

    /// The category with this code, if there is one.
    package static func category(_ code: String) -> Category? {
        categories.first { $0.code == code }
    }

    /// The category with this GeoReport v2 service code.
    package static func category(open311 code: String) -> Category? {
        categories.first { $0.open311 == code }
    }
}
