import CIXCore
import CIXNode
import CIXStaff
import CIXStore

/// The pages in Welsh (Cymraeg), for bodies that must offer it.
///
/// REVIEW: written by the CIX developers, not by a native speaker. Before a
/// body relies on it, a Welsh translator should review every message here
/// (and the category names) against the body's own style guide.
package struct WelshCatalogue: Catalogue {
    package init() {}

    // MARK: The frame of every page
    package var skipToContent: String { "Neidio i'r cynnwys" }
    package var mainNavigation: String { "Prif ddewislen" }
    package var home: String { "Hafan" }
    package var allIssues: String { "Pob mater" }
    package var bodiesAndNodes: String { "Cyrff a nodau" }
    package var reportAProblem: String { "Rhoi gwybod am broblem" }
    package var mirrorNote: String {
        "Drych cyhoeddus yw hwn: mae'n dangos ac yn gwirio pob cofnod ond nid yw'n derbyn adroddiadau."
    }
    package func nodeKind(_ kind: NodeKind?) -> String {
        switch kind {
        case .council: "cyngor"
        case .county: "sir"
        case .police: "heddlu"
        case .fire: "gwasanaeth tân"
        case .health: "iechyd"
        case .transport: "trafnidiaeth"
        case .voluntary: "gwirfoddol"
        case .business: "busnes"
        case .mirror: "drych"
        case .other, nil: "arall"
        }
    }
    package func siteKind(_ kind: NodeKind?) -> String { "nod \(nodeKind(kind)) · Cyfnewidfa Materion Dinesig" }
    package var searchIssues: String { "Chwilio materion" }
    package var search: String { "Chwilio" }
    package var footerSigned: String {
        "Mae pob cofnod yma wedi'i lofnodi gan y corff a'i ysgrifennodd ac wedi'i wirio gan y nod hwn."
    }
    package var jsonAPI: String { "API JSON" }
    package var atomFeed: String { "Ffrwd Atom" }
    package var languageChoice: String { "Iaith" }
    package var backHome: String { "Yn ôl i'r hafan" }

    // MARK: Maps
    package var mapKey: String { "Allwedd y map" }
    package var legendClosed: String { "Wedi cau, wedi'i wrthod neu'n ddyblyg" }
    package var legendSeveral: String { "Sawl mater (y rhif): dewiswch i chwyddo" }
    package var mapCluster: String { "{n} mater yma: dewiswch i chwyddo" }
    package var mapPinTitle: String { "Lle'r broblem: mae'r bysellau saeth yn ei symud" }
    package var mapPinAlt: String { "Lle'r broblem" }
    package var mapPinAt: String { "Mae'r pin yn {lat}, {lon}." }
    package var mapMiddle: String { "Rhoi'r pin yng nghanol y map" }
    package var mapLocate: String { "Defnyddio fy lleoliad" }
    package var mapLocating: String { "Wrthi'n dod o hyd i'ch lleoliad…" }
    package var mapLocated: String {
        "Mae'r pin yn eich lleoliad chi (o fewn tua {metres} m). Symudwch ef os yw'r broblem rywle arall."
    }
    package var mapNoLocation: String {
        "Nid yw'ch lleoliad ar gael ({error}). Cliciwch ar y map neu teipiwch y cyfesurynnau."
    }
    package var mapZoomIn: String { "Chwyddo i mewn" }
    package var mapZoomOut: String { "Chwyddo allan" }
    package var mapLimitList: String { "Cyfyngu'r rhestr i'r ardal a ddangosir ar y map" }

    // MARK: Shared words
    package func status(_ raw: String) -> String {
        switch raw {
        case "open": "Ar agor"
        case "acknowledged": "Wedi'i gydnabod"
        case "in_progress": "Ar waith"
        case "fixed": "Wedi'i drwsio"
        case "closed": "Wedi cau"
        case "declined": "Wedi'i wrthod"
        case "duplicate": "Dyblyg"
        case "received": "Wedi dod i law"
        case "investigating": "Yn ymchwilio"
        case "scheduled": "Wedi'i drefnu"
        case "not_ours": "Nid ein cyfrifoldeb ni"
        case "wont_fix": "Dim bwriad i'w drwsio"
        default: raw
        }
    }
    package func role(_ role: IssueState.AgencyPart.Role) -> String {
        switch role {
        case .origin: "Man cychwyn"
        case .routed: "Wedi'i anfon ato"
        case .accepted: "Wedi derbyn"
        case .declined: "Wedi gwrthod"
        case .transferred: "Wedi trosglwyddo"
        }
    }
    package func category(_ code: String?) -> String {
        guard let code else { return "Heb gategori" }
        return Self.categories[code] ?? EnglishCatalogue().category(code)
    }
    package func categoryGroup(_ group: String) -> String { Self.groups[group] ?? group }
    package var months: [String] {
        [
            "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
            "Tachwedd", "Rhagfyr",
        ]
    }
    package func date(day: Int, month: String, year: Int, time: String) -> String {
        "\(day) \(month) \(year), \(time) UTC"
    }
    package var reportRemoved: String { "[tynnwyd yr adroddiad]" }
    package func reportedThrough(_ date: String, _ node: String) -> String { "adroddwyd \(date) drwy \(node)" }

    // MARK: Home
    package func homeHeading(_ site: String) -> String { "\(site): y rhestr gyhoeddus o faterion" }
    package var homeLead: String {
        "Pob problem a adroddwyd i gyrff y lle hwn, pwy sy'n gyfrifol am bob rhan ohoni, a beth sy'n cael ei wneud."
    }
    package var noNeedToKnow: String { "does dim angen i chi wybod pa gorff sy'n gyfrifol." }
    package func mirrorTakesNoReports(nodes href: String) -> HTML {
        "Nid yw'r drych hwn yn derbyn adroddiadau. Gweler <a href=\"\(href)\">y cyrff a'r nodau</a> i ddod o hyd i le i roi gwybod."
    }
    package var followAreaLink: String { "Cael e-bost am bob adroddiad newydd yn eich ardal" }
    package var mapOfRecent: String { "Map o faterion diweddar" }
    package var recentlyChanged: String { "Newidiwyd yn ddiweddar" }
    package var noIssuesYet: String { "Dim materion eto." }
    package var mostConfirmed: String { "Wedi'u cadarnhau fwyaf" }
    package var allByConfirmations: String { "Pob mater yn ôl nifer y cadarnhadau" }

    // MARK: Lists
    package func confirmedCount(_ number: Int) -> String { "\(number) wedi cadarnhau" }
    package func solutionCount(_ number: Int) -> String { "\(number) ateb" }
    package func offerCount(_ number: Int) -> String { "\(number) cynnig help" }
    package func commentCount(_ number: Int) -> String { "\(number) sylw" }
    package var issues: String { "Materion" }
    package var filterIssues: String { "Hidlo materion" }
    package var words: String { "Geiriau" }
    package var categoryLabel: String { "Categori" }
    package var statusLabel: String { "Statws" }
    package var bodyLabel: String { "Corff" }
    package var areaBox: String { "Ardal (gorllewin,de,dwyrain,gogledd)" }
    package var orderLabel: String { "Trefn" }
    package var showIssues: String { "Dangos materion" }
    package var mapOfListed: String { "Map o'r materion a restrir" }
    package var theseIssuesAs: String { "Y materion hyn fel" }
    package var results: String { "Canlyniadau" }
    package func matchCount(_ number: Int, shown: String, more: Bool) -> String {
        if more { return "Mae mwy na \(shown) mater yn cyfateb." }
        return number == 0 ? "Does dim materion yn cyfateb." : "Mae \(shown) mater yn cyfateb."
    }
    package func page(_ number: Int) -> String { "Tudalen \(number)" }
    package var previousPage: String { "Tudalen flaenorol" }
    package var nextPage: String { "Tudalen nesaf" }
    package var pages: String { "Tudalennau" }
    package var noneMatchFilters: String { "Does dim materion yn cyfateb i'r hidlwyr hyn." }
    package var anyCategory: String { "Unrhyw gategori" }
    package var anyStatus: String { "Unrhyw statws" }
    package var anyBody: String { "Unrhyw gorff" }
    package func order(_ order: IssueQuery.Order) -> String {
        switch order {
        case .updated: "Newidiwyd yn ddiweddar"
        case .reported: "Adroddwyd yn ddiweddar"
        case .confirmations: "Wedi'u cadarnhau fwyaf"
        }
    }
    package var matchingFeed: String { "Materion sy'n cyfateb i'r hidlwyr hyn" }
    package func issuesOf(_ site: String) -> String { "\(site): materion" }

    // MARK: Bodies and nodes
    package var nodesLead: String {
        "Mae pob corff yn rhedeg ei nod ei hun ac yn llofnodi ei gofnodion ei hun. Cymharwch ôl bys allwedd â'r un y mae'r corff yn ei gyhoeddi i fod yn siŵr pwy rydych yn ei ddarllen."
    }
    package func figuresLink(_ site: String) -> String { "Sut mae \(site) wedi ateb adroddiadau: ei ffigurau" }
    package var mapOfAreas: String { "Yr ardaloedd y mae'r cyrff yn eu gwasanaethu" }
    package var kind: String { "Math" }
    package var address: String { "Cyfeiriad" }
    package var area: String { "Ardal" }
    package var categories: String { "Categorïau" }
    package var keyFingerprint: String { "Ôl bys yr allwedd" }
    package var lastHeard: String { "Clywyd ganddo ddiwethaf" }
    package var thisNode: String { "y nod hwn" }
    package var heardThroughOthers: String { "nid yn uniongyrchol (drwy eraill)" }
    package var everywhere: String { "ym mhobman" }
    package var onTheMap: String { "ar y map" }

    package var blocksHeading: String { "Nodau y mae'r nod hwn yn eu rhwystro" }
    package var blocksLead: String {
        "Caiff eu cofnodion eu gwrthod, ac nid yw'r rhai sydd eisoes yma'n cael eu dangos, eu cyfrif na'u trosglwyddo."
    }
    package var blocksNone: String { "Nid yw'r nod hwn yn rhwystro unrhyw nod." }
    package var nodeColumn: String { "Nod" }
    package var sinceColumn: String { "Ers" }
    package var reasonColumn: String { "Rheswm" }

    // MARK: One issue
    package var followFeed: String { "dilyn ei ddiweddariadau (ffrwd Atom)" }
    package var whereThisIs: String { "Lle mae'r mater hwn" }
    package var updatesFeed: String { "Diweddariadau i'r mater hwn" }
    package var removedByAuthor: String {
        "Tynnwyd testun yr adroddiad gan ei awdur; mae ei gofnod wedi'i lofnodi yn aros."
    }
    package var theReport: String { "Yr adroddiad" }
    package var whereLabel: String { "Lle" }
    package var reporterLabel: String { "Adroddwr" }
    package func pseudonym(_ reporter: String, keptBy node: String) -> String {
        "\(reporter) (ffugenw; mae'r manylion cyswllt yn aros gyda \(node))"
    }
    package func tags(_ list: String) -> String { "Tagiau: \(list)" }
    package var photoAlt: String { "Llun wedi'i atodi i'r adroddiad" }
    package func photoHeldElsewhere(_ hash: String, by node: String) -> String {
        "Mae llun (SHA-256 \(hash)…) gan \(node), nid gan y nod hwn."
    }
    package var signatureVerifiedTitle: String { "Gwiriwyd y llofnod gan y nod hwn pan gyrhaeddodd y digwyddiad" }
    package var signatureVerified: String { "llofnod wedi'i wirio" }
    package var signatureNotVerified: String { "llofnod HEB ei wirio" }
    package var noBodyHoldsIt: String { "Does dim corff yn gyfrifol am y mater hwn eto." }
    package var whoHoldsIt: String { "Pwy sy'n gyfrifol" }
    package var partColumn: String { "Rhan" }
    package var whyColumn: String { "Pam" }
    package var signedByColumn: String { "Llofnodwyd gan" }
    package func routedBy(_ node: String) -> String { "anfonwyd gan \(node)" }
    package var tookTheReport: String { "cymerodd yr adroddiad" }
    package func referredBy(_ node: String) -> String { "Cyfeiriwyd gan \(node)" }
    package func passedOnBy(_ node: String) -> String { "Trosglwyddwyd gan \(node)" }
    package var alsoReportedAs: String { "Adroddwyd hefyd fel" }
    package var markedDuplicates: String { "Nodwyd yr adroddiadau hyn yn ddyblygion o'r mater hwn:" }
    package func reported(_ date: String) -> String { "adroddwyd \(date)" }
    package func waitingFor(_ node: String) -> String { "Yn aros am \(node)" }
    package func routedByShort(_ node: String) -> String { "anfonwyd gan \(node)" }
    package func duplicateOf(_ link: HTML, heldBy node: String?) -> HTML {
        "Nodwyd yn ddyblyg o \(link)\(node.map { " sydd gan \($0)" } ?? "")."
    }
    package func issueNumber(_ short: String) -> String { "mater \(short)" }
    package var confirmations: String { "Cadarnhadau" }
    package var nobodyConfirmed: String { "Does neb wedi cadarnhau hyn eto." }
    package var proposedSolutions: String { "Atebion arfaethedig" }
    package var noSolutions: String { "Dim atebion wedi'u cynnig eto." }
    package var offersOfHelp: String { "Cynigion help" }
    package var noOffers: String { "Dim cynigion help eto." }
    package var comments: String { "Sylwadau" }
    package var noComments: String { "Dim sylwadau." }
    package var removedContribution: String { "Tynnwyd gan ei awdur." }
    package var cleanedByModerator: String { "Golygwyd gan gymedrolwr i dynnu manylion personol." }
    package var seenToo: String { "Wedi'i weld hefyd." }
    package func when(_ text: String) -> String { "Pryd: \(text)" }
    package func by(_ text: String) -> String { "Gan: \(text)" }
    package func contributionMeta(_ date: String, through node: String) -> String { "\(date) drwy \(node)" }
    package var theReportItem: String { "Yr adroddiad" }
    package func contributionItem(_ kind: EventKind, date: String, id: String) -> String {
        let name =
            switch kind {
            case .confirm: "Cadarnhad"
            case .solution: "Ateb arfaethedig"
            case .offer: "Cynnig help"
            default: "Sylw"
            }
        return "\(name) ar \(date) (\(id))"
    }
    package var followByEmail: String { "Dilyn drwy e-bost" }
    package var followHint: String {
        "Cael e-bost pan fydd corff yn ateb ar y mater hwn. Byddwn yn anfon dolen i gadarnhau yn gyntaf; ni chaiff eich cyfeiriad byth ei gyhoeddi na'i rannu."
    }
    package var yourEmail: String { "Eich e-bost" }
    package var follow: String { "Dilyn" }
    package var flagHeading: String { "Rhoi gwybod am broblem gyda'r dudalen hon" }
    package func flagHint(_ site: String) -> String {
        "Os oes rhywbeth yma'n dangos manylion personol rhywun neu na ddylai fod yma, dywedwch wrth gymedrolwyr \(site). Nhw sy'n penderfynu beth i'w dynnu."
    }
    package var what: String { "Beth" }
    package var why: String { "Pam" }
    package var flagNote: String { "Unrhyw beth y dylai'r cymedrolwyr ei wybod (dewisol; ni chaiff ei gyhoeddi)" }
    package var tellModerators: String { "Dweud wrth y cymedrolwyr" }
    package func flagReason(_ reason: FlagReason) -> String {
        switch reason {
        case .personalData: "Mae'n dangos manylion personol rhywun"
        case .abusive: "Mae'n sarhaus neu'n dramgwyddus"
        case .spam: "Sbam neu hysbyseb yw e"
        case .other: "Rhywbeth arall"
        }
    }
    package var addToIssue: String { "Ychwanegu at y mater hwn" }
    package func mirrorAddElsewhere(_ site: String) -> String {
        "Drych cyhoeddus darllen-yn-unig yw \(site). I roi sylw, cadarnhau eich bod yn gweld hyn hefyd, cynnig ateb neu gynnig help, agorwch y mater hwn ar nod un o'r cyrff:"
    }
    package func publishedBy(_ site: String) -> String {
        "Mae'r hyn rydych yn ei ychwanegu yn cael ei gyhoeddi a'i lofnodi gan \(site). Peidiwch â chynnwys manylion personol."
    }
    package var comment: String { "Sylw" }
    package var yourComment: String { "Eich sylw" }
    package var addComment: String { "Ychwanegu'r sylw" }
    package var seeThisToo: String { "Rwy'n gweld hyn hefyd" }
    package var oneConfirmation: String { "Un cadarnhad i bob person." }
    package var noteOptional: String { "Nodyn (dewisol)" }
    package var confirmEmail: String {
        "Eich e-bost (dewisol: yn eich cyfrif unwaith ar unrhyw ddyfais; ni chaiff byth ei gyhoeddi na'i rannu)"
    }
    package var confirm: String { "Cadarnhau" }
    package var proposeSolution: String { "Cynnig ateb" }
    package var yourFix: String { "Yr ateb rydych yn ei gynnig" }
    package var propose: String { "Cynnig" }
    package var offerHelp: String { "Cynnig help" }
    package var whatYouCanDo: String { "Beth allwch chi ei wneud" }
    package var whenOptional: String { "Pryd (dewisol)" }
    package var whoOffers: String { "Pwy sy'n cynnig (dewisol, e.e. enw grŵp)" }
    package var timeline: String { "Llinell amser" }
    package var timelineLead: String {
        "Pob digwyddiad, yr hynaf yn gyntaf, gyda'r corff a'i llofnododd. Mae ✓ yn golygu bod y nod hwn wedi gwirio'r llofnod."
    }
    package var whenColumn: String { "Pryd" }
    package var whatColumn: String { "Beth" }
    package var effectColumn: String { "Effaith" }
    package var signatureColumn: String { "Llofnod" }
    package func failedVerification(_ short: String, _ failure: String) -> String {
        "Methodd digwyddiad \(short) y gwiriad: \(failure)"
    }
    package func effect(_ effect: IssueState.TimelineEntry.Effect) -> String {
        switch effect {
        case .applied: "wedi'i gymhwyso"
        case .rejected: "wedi'i wrthod"
        case .withoutBody: "heb ei gynnwys"
        }
    }
    package func notice(_ added: String) -> String? {
        switch added {
        case "comment": "Diolch: ychwanegwyd eich sylw a'i lofnodi."
        case "confirm": "Diolch: ychwanegwyd eich cadarnhad a'i lofnodi."
        case "solution": "Diolch: ychwanegwyd eich ateb arfaethedig a'i lofnodi."
        case "offer": "Diolch: ychwanegwyd eich cynnig help a'i lofnodi."
        case "follow":
            "Edrychwch ar eich e-bost: rydym wedi anfon dolen i gadarnhau. Ni chaiff dim arall ei anfon nes i chi ei hagor."
        case "following": "Mae'r cyfeiriad hwnnw eisoes yn cael negeseuon e-bost am y mater hwn."
        case "flag":
            "Diolch: mae'r cymedrolwyr wedi cael gwybod a byddant yn edrych arno. Ni chaiff dim a ysgrifennoch ei gyhoeddi."
        default: nil
        }
    }

    // MARK: Timeline sentences
    package func eventWithoutBody(_ who: String, _ kind: EventKind) -> String {
        let noun =
            switch kind {
            case .report: "yr adroddiad"
            case .edit: "cywiriad"
            case .comment: "sylw"
            case .confirm: "cadarnhad"
            case .solution: "ateb arfaethedig"
            case .offer: "cynnig help"
            case .route: "anfon ymlaen"
            case .accept: "derbyn"
            case .decline: "gwrthod"
            case .transfer: "trosglwyddo"
            case .status: "statws"
            case .duplicate: "nodyn dyblyg"
            case .redact: "tynnu cofnod"
            case .contact: "manylion cyswllt wedi'u selio"
            }
        return "\(who): \(noun) (tynnwyd ei gynnwys)"
    }
    package func tookReport(_ who: String) -> String { "Cymerodd \(who) yr adroddiad" }
    package func corrected(_ who: String, fields: [EditedField]) -> String {
        let names = fields.map { field in
            switch field {
            case .title: "teitl"
            case .details: "manylion"
            case .tags: "tagiau"
            case .place: "lle"
            case .category(let code): "categori (nawr \(category(code)))"
            }
        }
        return "Cywirodd \(who) yr adroddiad: \(names.joined(separator: ", "))"
    }
    package func commentThrough(_ who: String) -> String { "Sylw, drwy \(who)" }
    package func confirmedThrough(_ who: String) -> String { "Cadarnhaodd rhywun hyn, drwy \(who)" }
    package func solutionThrough(_ who: String) -> String { "Cynigiwyd ateb, drwy \(who)" }
    package func offerThrough(_ who: String) -> String { "Cynnig help, drwy \(who)" }
    package func askedToLook(_ who: String, _ names: [String]) -> String {
        "Gofynnodd \(who) i \(list(names, and: "a", nobody: "neb")) edrych ar hyn"
    }
    package func accepted(_ who: String) -> String { "Derbyniodd \(who) hyn" }
    package func declined(_ who: String, suggested: String?, reason: String) -> String {
        "Dywedodd \(who) nad eu cyfrifoldeb nhw yw hyn\(suggested.map { " ac awgrymodd \($0)" } ?? ""): \(reason)"
    }
    package func transferred(_ who: String, to: String, reason: String) -> String {
        "Trosglwyddodd \(who) hyn i \(to): \(reason)"
    }
    package func setStatus(_ who: String, _ status: String) -> String { "Newidiodd \(who) y statws i “\(status)”" }
    package func markedDuplicate(_ who: String, of short: String) -> String {
        "Nododd \(who) mai'r un broblem yw hon â mater \(short)"
    }
    package func relayedName(_ name: String, byEmail: Bool, through: String) -> String {
        "\(name) (nid ar CIX: cysylltir \(byEmail ? "drwy e-bost" : "drwy Open311") gan \(through))"
    }
    package func sharedContact(_ who: String, with body: String) -> String {
        "Anfonodd \(who) fanylion cyswllt y preswylydd, wedi'u selio, at \(body), gyda'u caniatâd"
    }
    package func removedEntry(_ who: String, reason: String) -> String {
        "Tynnodd \(who) gofnod cynharach: \(reason)"
    }
    package func feedSummary(
        status: String,
        category: String,
        confirmations: Int,
        solutions: Int,
        offers: Int
    )
        -> String
    {
        "\(status) · \(category) · \(confirmations) wedi cadarnhau, \(solutions) ateb, \(offers) cynnig help"
    }

    // MARK: Reporting
    package var reportLead: String { "Dywedwch wrthym beth a ble." }
    package func reportLeadSends(_ site: String) -> String {
        "Mae \(site) yn ei anfon at bob corff sy'n gyfrifol am y math hwnnw o broblem yn y lle hwnnw, ac yn dangos i chi i ble'r aeth a pham."
    }
    package var checkYourReport: String { "Gwiriwch eich adroddiad" }
    package var findPlace: String { "Chwilio am stryd neu le" }
    package var find: String { "Chwilio" }
    package func noPlace(_ text: String) -> String {
        "Does dim stryd na lle o'r enw “\(text)” yn hysbys yma. Rhowch y pin ar y map, neu teipiwch y cyfesurynnau."
    }
    package func placesMatch(_ count: Int, _ text: String) -> String {
        "\(count == 1 ? "Mae un lle'n cyfateb i" : "Mae \(count) lle'n cyfateb i") “\(text)”: dewiswch un i lenwi lle mae'r broblem."
    }
    package var whatIsTheProblem: String { "Beth yw'r broblem?" }
    package var kindOfProblem: String { "Math o broblem" }
    package var shortTitle: String { "Teitl byr" }
    package var detailsOptional: String { "Manylion (dewisol)" }
    package var photoOptional: String {
        "Llun (dewisol, JPEG neu PNG; caiff data lleoliad a chamera eu tynnu)"
    }
    package var whereIsIt: String { "Ble mae hi?" }
    package var whereHelp: String { "Cliciwch ar y map i osod pin, neu teipiwch y cyfesurynnau." }
    package var mapPick: String { "Map: cliciwch i osod lle'r broblem" }
    package var latitude: String { "Lledred" }
    package var longitude: String { "Hydred" }
    package var addressOptional: String { "Cyfeiriad neu dirnod (dewisol)" }
    package var yourDetails: String { "Eich manylion (dewisol)" }
    package func privateHelp(_ site: String) -> String {
        "Mae eich enw a'ch manylion cyswllt yn aros ar nod \(site), ar gyfer atebion am yr adroddiad hwn yn unig. Nid ydynt byth yn cael eu cyhoeddi, na'u hanfon at unrhyw gorff arall oni bai eich bod yn ticio'r blwch olaf. Dim ond ffugenw y mae'r adroddiad cyhoeddus yn ei ddangos."
    }
    package var name: String { "Enw" }
    package var email: String { "E-bost" }
    package var phone: String { "Ffôn" }
    package var emailMeUpdates: String {
        "Anfon e-bost ataf pan fydd corff yn ateb yr adroddiad hwn (mae angen eich e-bost; mae dolen ym mhob neges i'w hatal)"
    }
    package var shareWithBodies: String {
        "Caiff y cyrff sy'n delio â'r adroddiad hwn gysylltu â mi amdano (anfonir eich manylion, wedi'u selio fel mai dim ond pob un ohonynt sy'n gallu eu darllen, at bob corff y mae'n mynd ato; mae angen eich e-bost neu'ch ffôn)"
    }
    package var sendReport: String { "Anfon yr adroddiad" }
    package var choose: String { "Dewiswch…" }

    // MARK: Short pages
    package func errorTitle(_ status: Int) -> String { "Gwall \(status)" }
    package var thatDidNotWork: String { "Ni weithiodd hynny" }
    package var mirrorTakesNoReportsTitle: String { "Nid yw'r drych hwn yn derbyn adroddiadau" }
    package func useIntakeNodes(_ site: String) -> String {
        "Drych cyhoeddus darllen-yn-unig yw \(site): mae'n copïo ac yn gwirio cofnodion y cyrff isod, ond ni all dderbyn adroddiadau, cadarnhadau, atebion na chynigion help. Defnyddiwch un o'r nodau hyn yn lle hynny:"
    }
    package var reportReceived: String { "Daeth yr adroddiad i law" }
    package var thanksReceived: String { "Diolch: daeth eich adroddiad i law" }
    package func heldExplained(_ site: String) -> String {
        "Mae \(site) yn gwirio adroddiadau o'r math hwn cyn eu cyhoeddi. Unwaith y bydd cymedrolwr wedi edrych arno, bydd yn dod yn fater cyhoeddus wedi'i lofnodi ac yn mynd at y cyrff sy'n delio ag ef. Os na ellir ei gyhoeddi, caiff ei ddileu."
    }
    package var reportSent: String { "Anfonwyd yr adroddiad" }
    package var thanksSent: String { "Diolch: anfonwyd eich adroddiad" }
    package func nowPublic(_ title: String) -> String { "Mae “\(title)” bellach yn fater cyhoeddus wedi'i lofnodi." }
    package var whereItWent: String { "I ble'r aeth, a pham" }
    package func heldByHand(_ site: String) -> String {
        "Nid oes yr un corff wedi dweud eto ei fod yn gwasanaethu'r math hwn o broblem yn y lle hwn, felly mae \(site) yn ei gadw a bydd yn ei anfon ymlaen â llaw."
    }
    package var followYourReport: String { "Dilyn eich adroddiad" }
    package var bookmark: String { "(rhowch nod tudalen ar y dudalen hon i ddod yn ôl ati)." }

    // MARK: Figures
    package var figures: String { "Ffigurau" }
    package func figuresHeading(_ site: String) -> String { "Ffigurau \(site)" }
    package var periodFrom: String { "O" }
    package var periodTo: String { "I" }
    package var show: String { "Dangos" }
    package var downloadCSV: String { "Llwytho i lawr fel CSV" }
    package func figuresSummary(
        _ received: Int,
        _ accepted: Int,
        _ declined: Int,
        _ fixed: Int,
        open: Int
    )
        -> String
    {
        "Cyfanswm: \(received) wedi dod i law, \(accepted) wedi'u derbyn, \(declined) wedi'u gwrthod, \(fixed) wedi'u trwsio, \(open) ar agor nawr."
    }
    package var chartByCategory: String {
        "Wedi dod i law, wedi'u derbyn, wedi'u gwrthod a wedi'u trwsio, fesul categori"
    }
    package var figuresByCategory: String { "Ffigurau fesul categori" }
    package var whatTheNumbersMean: String { "Beth mae'r rhifau'n ei olygu" }
    package var numbersExplained: [HTML] {
        [
            "<strong>Wedi dod i law</strong>: adroddiadau a wnaed yn y cyfnod a gyrhaeddodd ni (wedi'u hanfon atom, neu wedi'u cymryd yma).",
            "<strong>Wedi'u derbyn</strong>, <strong>wedi'u gwrthod</strong>, <strong>wedi'u trwsio</strong>: ein hatebion ein hunain, wedi'u llofnodi ac wedi'u dyddio yn y cyfnod.",
            "<strong>Ar agor</strong>: adroddiadau a anfonwyd atom, a gymerwyd yma neu a dderbyniwyd, heb eu trwsio na'u cau nawr, yn ôl oed yr adroddiad.",
            "<strong>Canolrif diwrnodau</strong>: o'r adroddiad at ein derbyn, neu at ein \"wedi'i drwsio\", dros yr atebion a gyfrifwyd.",
        ]
    }
    package var outsideNamedAreas: String { "Y tu allan i'r ardaloedd a enwir" }
    package var allCategories: String { "Pob categori" }
    package var byArea: String { "Fesul ardal" }
    package var byAreaLead: String {
        "Yr ardaloedd â'r nifer mwyaf o adroddiadau yn gyntaf; mae adroddiad ar ffin yn cyfrif ym mhob ardal y mae ynddi."
    }
    package var chartTopAreas: String {
        "Y prif ardaloedd: wedi dod i law, wedi'u derbyn, wedi'u gwrthod a wedi'u trwsio"
    }
    package var figuresByArea: String { "Ffigurau fesul ardal" }
    package var noReportsInPeriod: String { "Dim adroddiadau yn y cyfnod hwn." }
    package func measure(_ measure: FigureMeasure) -> String {
        switch measure {
        case .received: "wedi dod i law"
        case .accepted: "wedi'u derbyn"
        case .declined: "wedi'u gwrthod"
        case .fixed: "wedi'u trwsio"
        }
    }
    package func openAged(_ band: Int) -> String {
        "Ar agor, " + (["llai nag wythnos", "1 i 4 wythnos", "1 i 3 mis"].dropFirst(band).first ?? "dros 3 mis")
    }
    package var medianDaysToAccept: String { "Canolrif diwrnodau i dderbyn" }
    package var medianDaysToFix: String { "Canolrif diwrnodau i drwsio" }

    // MARK: Mail pages
    package func newReportsIn(_ area: String) -> String { "adroddiadau newydd yn \(area)" }
    package var anIssue: String { "mater" }
    package var confirmMailsTitle: String { "Cadarnhau negeseuon e-bost" }
    package func confirmMailsHeading(_ site: String) -> String { "Cadarnhau negeseuon e-bost gan \(site)" }
    package func sendMailsTo(_ email: String, about: HTML) -> HTML {
        "Anfon negeseuon e-bost at <strong>\(email)</strong> am \(about)?"
    }
    package var eachMailCanStop: String { "Mae dolen ym mhob neges i'w hatal." }
    package var mailsConfirmedTitle: String { "Cadarnhawyd negeseuon e-bost" }
    package var confirmed: String { "Wedi cadarnhau" }
    package func willMail(_ site: String, _ email: String, about: HTML) -> HTML {
        "Bydd \(site) yn anfon e-bost at \(email) am \(about)."
    }
    package var stopMailsTitle: String { "Atal negeseuon e-bost" }
    package func stopMailsHeading(_ site: String) -> String { "Atal negeseuon e-bost gan \(site)" }
    package func stopMailsTo(_ email: String, about: HTML) -> HTML {
        "Peidio ag anfon negeseuon e-bost at <strong>\(email)</strong> am \(about)?"
    }
    package var stopTheseMails: String { "Atal y negeseuon hyn" }
    package var mailsStoppedTitle: String { "Ataliwyd negeseuon e-bost" }
    package var stopped: String { "Wedi atal" }
    package var noMoreMails: String {
        "Ni chaiff rhagor o'r negeseuon hyn eu hanfon. Caiff unrhyw beth sydd eisoes ar ei ffordd ei ganslo."
    }
    package var linkUnknownTitle: String { "Dolen heb ei hadnabod" }
    package var linkUnknownHeading: String { "Nid yw'r ddolen hon yn cael ei hadnabod" }
    package var linkUnknown: String {
        "Efallai na chafodd ei chopïo'n llawn, neu fod y negeseuon hyn eisoes wedi'u hatal. Ni newidiwyd dim."
    }
    package var areaMailsTitle: String { "Negeseuon e-bost am ardal" }
    package var areaMailsHeading: String { "Negeseuon e-bost am adroddiadau newydd mewn ardal" }
    package func areaMailsHelp(_ site: String) -> String {
        "Byddwn yn anfon dolen i gadarnhau yn gyntaf; ni chaiff dim arall ei anfon nes i chi gadarnhau. Mae eich cyfeiriad yn aros ar nod \(site) ac ni chaiff byth ei gyhoeddi na'i rannu."
    }
    package var sendMeMails: String { "Anfon negeseuon e-bost ataf" }
    package var alreadyFollowing: String { "Eisoes yn dilyn" }
    package var alreadyGetsThese: String { "Mae'r cyfeiriad hwnnw eisoes yn cael y negeseuon hyn." }
    package var checkYourEmail: String { "Edrychwch ar eich e-bost" }
    package var confirmLinkSent: String {
        "Rydym wedi anfon dolen i gadarnhau. Ni chaiff dim arall ei anfon nes i chi ei hagor a phwyso Cadarnhau."
    }
}
