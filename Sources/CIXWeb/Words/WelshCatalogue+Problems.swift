import CIXCore
import CIXNode

/// Welsh for what can be wrong with a submission, and the taxonomy's names (REVIEW: see `WelshCatalogue`).
extension WelshCatalogue {
    package func problem(_ problem: IntakeProblem) -> String {
        switch problem.reason {
        case .missing(let subject): "Mae angen \(Self.subject(subject))."
        case .tooLong(let subject, let max): "Ni all \(Self.subject(subject)) fod yn hwy na \(max) nod."
        case .controlCharacters(let subject): "Ni all \(Self.subject(subject)) gynnwys nodau rheoli."
        case .noCategory: "Dewiswch y math o broblem."
        case .notAnEmail: "Nid yw'ch e-bost yn edrych fel cyfeiriad e-bost."
        case .emailForUpdates: "Rhowch eich cyfeiriad e-bost i glywed am yr adroddiad hwn drwy e-bost."
        case .contactForSharing:
            "Rhowch gyfeiriad e-bost neu rif ffôn i'r cyrff sy'n delio â hyn gysylltu â chi."
        case .badTags:
            "Hyd at \(Limits.maxTags) o godau byr yw tagiau, o a–z, 0–9, '_', '-' a '.'."
        case .noPlace: "Rhowch y lle: lledred (−90 i 90) a hydred (−180 i 180)."
        case .badAccuracy: "Rhaid i'r cywirdeb fod rhwng 0 a 100,000 metr."
        case .tooManyPhotos(let count): "Gellir atodi \(count) llun ar y mwyaf."
        case .badPhoto(let detail): "Nid oedd modd defnyddio'r llun: \(detail)."
        case .personalData(let subject, let kind, let text):
            "Yn \(Self.subject(subject)), mae hyn yn edrych fel \(Self.finding(kind)): “\(text)”. Mae popeth yma'n cael ei gyhoeddi i unrhyw un ei ddarllen: tynnwch ef, neu anfonwch eto a bydd “\(kind.mask)” yn cymryd ei le."
        case .masked(let subject, let kind):
            "Tynnwyd \(Self.finding(kind)) o \(Self.subject(subject)) cyn ei gyhoeddi."
        case .alreadyConfirmed:
            "Rydych eisoes wedi cadarnhau'r mater hwn o'r porwr hwn. Diolch: mae un cadarnhad i bob person yn cadw'r cyfrif yn onest."
        case .alreadyConfirmedByEmail:
            "Mae'r mater hwn eisoes wedi'i gadarnhau gyda'r cyfeiriad e-bost hwnnw. Diolch: mae un cadarnhad i bob person yn cadw'r cyfrif yn onest."
        case .noSuchArea: "Dewiswch un o'r ardaloedd a restrir."
        case .tooManyFollows:
            "Mae'r cyfeiriad hwn wedi gofyn am ormod o bethau i'w dilyn heddiw. Rhowch gynnig arall yfory."
        }
    }

    static func subject(_ subject: String) -> String {
        switch subject {
        case "title": "y teitl"
        case "description": "y manylion"
        case "address": "y cyfeiriad"
        case "name": "eich enw"
        case "email": "eich e-bost"
        case "phone": "eich rhif ffôn"
        case "comment": "eich sylw"
        case "solution": "yr ateb rydych yn ei gynnig"
        case "note": "eich nodyn"
        case "offer": "y help rydych yn ei gynnig"
        case "when": "pryd"
        case "by": "pwy sy'n cynnig"
        default: "y testun"
        }
    }

    static func finding(_ kind: ScreeningFinding.Kind) -> String {
        switch kind {
        case .email: "cyfeiriad e-bost"
        case .phone: "rhif ffôn"
        case .homeAddress: "cyfeiriad cartref"
        case .vehiclePlate: "rhif cofrestru cerbyd"
        }
    }

    static let groups: [String: String] = [
        "Roads and pavements": "Ffyrdd a phalmentydd", "Waste and cleanliness": "Gwastraff a glendid",
        "Vehicles and parking": "Cerbydau a pharcio", "Neighbourhood and safety": "Cymdogaeth a diogelwch",
        "Public transport": "Trafnidiaeth gyhoeddus", "Parks and trees": "Parciau a choed",
        "Water and drainage": "Dŵr a draenio", "Housing": "Tai", "Public health": "Iechyd y cyhoedd",
        "Accessibility": "Hygyrchedd", "Community": "Cymuned", "Other": "Arall",
    ]

    static let categories: [String: String] = [
        "pothole": "Twll yn y ffordd", "road_surface": "Wyneb ffordd wedi'i ddifrodi",
        "pavement": "Palmant wedi'i ddifrodi", "road_obstruction": "Rhwystr ar y ffordd neu'r palmant",
        "road_markings": "Marciau ffordd ac arwyddion", "gritting": "Rhew, eira a graeanu",
        "street_lighting": "Goleuadau stryd", "traffic_signals": "Goleuadau traffig a chroesfannau",
        "cycle_route": "Llwybrau beicio", "fly_tipping": "Tipio anghyfreithlon", "litter": "Sbwriel",
        "bins": "Biniau a chasgliadau", "graffiti": "Graffiti", "dog_fouling": "Baw cŵn",
        "street_cleaning": "Glanhau strydoedd", "needles": "Nodwyddau wedi'u taflu",
        "abandoned_vehicle": "Cerbyd wedi'i adael", "parking": "Parcio", "noise": "Sŵn",
        "antisocial_behaviour": "Ymddygiad gwrthgymdeithasol", "drug_dealing": "Delio cyffuriau",
        "vandalism": "Fandaliaeth a difrod troseddol", "street_drinking": "Yfed ar y stryd",
        "speeding": "Goryrru a gyrru peryglus", "bus_route": "Llwybrau bysiau",
        "bus_timetable": "Amserlenni bysiau a'u dibynadwyedd", "bus_stop": "Arosfannau a llochesi bysiau",
        "transport_accessibility": "Trafnidiaeth hygyrch", "rail_station": "Gorsafoedd rheilffordd",
        "parks": "Parciau a mannau agored", "trees": "Coed", "grass_verges": "Torri gwair ac ymylon ffyrdd",
        "public_toilets": "Toiledau cyhoeddus", "flooding": "Llifogydd", "drains": "Draeniau a gylïau wedi'u blocio",
        "water_leak": "Dŵr yn gollwng", "housing_repairs": "Atgyweirio tai cyngor neu dai cymdeithasol",
        "empty_property": "Eiddo gwag neu adfeiliedig", "rough_sleeping": "Rhywun yn cysgu allan",
        "pests": "Plâu a fermin", "food_safety": "Diogelwch bwyd", "pollution": "Llygredd",
        "public_health": "Pryderon eraill am iechyd y cyhoedd", "accessibility": "Rhwystrau hygyrchedd",
        "community_help": "Angen help yn y gymuned", "other": "Rhywbeth arall",
    ]
}
