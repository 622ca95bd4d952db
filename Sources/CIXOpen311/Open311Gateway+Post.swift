import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXRouting
import CIXStore
import Foundation

extension Open311Gateway {
    /// The key a post names, or 403.
    package func authorise(_ key: String?) throws(Failure) -> APIKey {
        guard let key, !key.isEmpty else { throw Failure(403, "api_key is required") }
        do {
            guard let found = try node.apiKey(matching: key) else { throw Failure(403, "api_key is not valid") }
            return found
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(unexpected: error)
        }
    }

    /// `POST requests`: a new signed, routed report, through the node's intake pipeline, with the photos
    /// uploaded or fetched for it; `notices` (photos left out) are added to the answer's `service_notice`.
    package func postRequest(
        _ form: [String: String],
        attributes: [String: String],
        photos: [[UInt8]] = [],
        notices: [String] = [],
        key: APIKey,
        now: Timestamp
    )
        throws(Failure) -> Open311Document
    {
        guard node.authors else {
            throw Failure(405, "this node is a read-only mirror; post requests to an intake node")
        }
        guard let code = form["service_code"], !code.isEmpty else { throw Failure(400, "service_code is required") }
        guard let category = Taxonomy.category(open311: code) else {
            throw Failure(404, "service_code \(code) not found")
        }
        let description = form["description"] ?? ""
        guard description.unicodeScalars.count <= 4_000 else {
            throw Failure(400, "description may be at most 4000 characters")
        }
        guard !Self.containsHTML(description) else { throw Failure(400, "description may not contain HTML") }
        if let problem = Open311Catalog.validate(attributes, for: category) { throw Failure(400, problem) }
        let address = form["address_string"].flatMap { $0.isEmpty ? nil : String($0.prefix(300)) }
        var latitude = form["lat"].flatMap(Double.init)
        var longitude = form["long"].flatMap(Double.init)
        var accuracy: Double?
        if latitude == nil || longitude == nil {
            // FixMyStreet sends address_id=#NOTPINPOINTED# with an address and no point: place it at the
            // centre of what this node serves, with an accuracy that says how rough that is.
            guard address != nil || form["address_id"] != nil else {
                throw Failure(400, "a location is required: lat and long, or address_string, or address_id")
            }
            guard let (centre, radius) = areaCentre() else {
                throw Failure(
                    400,
                    "this node serves no area, so a report without lat and long cannot be placed; send lat and long"
                )
            }
            (latitude, longitude, accuracy) = (centre.y, centre.x, radius)
        }
        let extras = attributes.keys.sorted().compactMap { name in attributes[name].map { "\(name): \($0)" } }
        var text = description
        if !extras.isEmpty { text += (text.isEmpty ? "" : "\n\n") + extras.joined(separator: "\n") }
        let name = [form["first_name"], form["last_name"]].compactMap { $0 }.filter { !$0.isEmpty }.joined(
            separator: " "
        )
        var submission = ReportSubmission(
            title: Self.title(description: description, attributes: attributes) ?? category.name,
            description: String(text.prefix(8_000)),
            category: category.code,
            latitude: latitude,
            longitude: longitude,
            address: address,
            accuracy: accuracy,
            reporterName: name.isEmpty ? nil : name,
            reporterEmail: form["email"].flatMap { $0.isEmpty ? nil : $0 },
            reporterPhone: form["phone"].flatMap { $0.isEmpty ? nil : $0 },
            photos: photos
        )
        // Clients cannot show a warning to their user: what looks like personal data is masked.
        submission.screening = .mask
        let receipt: ReportReceipt
        do {
            receipt = try node.intake.report(submission, now: now)
        } catch {
            switch error {
            case .invalid(let problems): throw Failure(400, problems.map(\.message).joined(separator: " "))
            case .failed(let failure): throw Failure(unexpected: failure)
            }
        }
        let details = JSONObject([
            "device_id": .string(form["device_id"] ?? ""), "account_id": .string(form["account_id"] ?? ""),
            "media_url": .string(form["media_url"] ?? ""), "address_id": .string(form["address_id"] ?? ""),
        ])
        do {
            try node.logOpen311(
                key: key.id,
                action: "request",
                issue: receipt.id.hex,
                event: receipt.id.hex,
                clientUpdateID: nil,
                details: (try? JSONValue.object(details).canonicalString()) ?? "{}",
                now: now
            )
        } catch {
            throw Failure(unexpected: error)
        }
        let notice =
            ([
                receipt.recipients.isEmpty
                    ? "Received; no body covering this place and category is known yet, so it waits to be routed."
                    : "Sent to " + receipt.recipients.map(\.name).joined(separator: ", ") + "."
            ] + receipt.masked.map(\.message) + notices).joined(separator: " ")
        return .list(
            container: "service_requests",
            element: "request",
            [
                .item([
                    ("service_request_id", .text(receipt.id.hex)), ("service_notice", .text(notice)),
                    ("account_id", .null),
                ])
            ]
        )
    }

    /// A report's title: the `title` attribute where the client also sends the plain `description`
    /// attribute (FixMyStreet's Confirm-style bodies; elsewhere it may be an honorific), else the
    /// description's first line without FixMyStreet's "title: " label, shortened; nil when there is none.
    static func title(description: String, attributes: [String: String]) -> String? {
        if let title = attributes["title"]?.trimmingCharacters(in: .whitespacesAndNewlines), !title.isEmpty,
            attributes["description"] != nil
        {
            return String(title.prefix(120))
        }
        let text = description.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        guard
            var line = text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }).first(where: {
                !$0.isEmpty
            })
        else { return nil }
        if line.lowercased().hasPrefix("title:") {
            line = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { return nil }
        }
        return String(line.prefix(120))
    }

    /// mySociety's `POST servicerequestupdates`: this agency's own answer on the issue.
    /// A repeated `update_id` from the same key is refused, as FixMyStreet expects.
    package func postUpdate(_ form: [String: String], key: APIKey, now: Timestamp) throws(Failure) -> Open311Document {
        guard node.authors else { throw Failure(405, "this node is a read-only mirror") }
        guard let requestID = form["service_request_id"], let issue = EventID(requestID.lowercased()) else {
            throw Failure(400, "service_request_id is required")
        }
        guard let updateID = form["update_id"], !updateID.isEmpty else { throw Failure(400, "update_id is required") }
        guard let statusText = form["status"], let action = Open311Status.action(for: statusText) else {
            throw Failure(400, "status must be one of \(Open311Status.extended.joined(separator: ", "))")
        }
        // CRLF and CR become LF and tabs spaces, as for reports (FixMyStreet sends %0D%0A with older libraries).
        let description = SubmittedText.normalise(String((form["description"] ?? "").prefix(2_000))) ?? ""
        guard !Self.containsHTML(description) else { throw Failure(400, "description may not contain HTML") }
        do {
            // A repeated update_id is answered with the first post's update, so a client that
            // retries (FixMyStreet counts a send as done only when an id comes back) stops.
            if let earlier = try node.open311Update(key: key.id, clientUpdateID: updateID) {
                return .list(
                    container: "service_request_updates",
                    element: "request_update",
                    [.item([("update_id", .text(earlier))])]
                )
            }
            guard let state = try node.store.issueState(issue) else {
                throw Failure(404, "service_request_id \(requestID) not found")
            }
            let part = state.agencies[node.id]
            if part == nil {
                _ = try node.route(issue, to: node.id, reason: "answering through Open311", now: now)
            }
            let answer: EventID
            switch action {
            case .decline where part?.role == .declined:
                // Declined already: nothing changes, and the client gets the decline it already made.
                answer = part?.lastEvent ?? issue
            case .status(let status):
                if let part, !part.isActive {
                    // A body that declined or transferred the report takes it back by answering on it.
                    _ = try node.act(.accept(AcceptBody(note: nil)), on: issue, now: now)
                }
                answer = try node.act(
                    .status(StatusBody(state: status, note: description.isEmpty ? nil : description)),
                    on: issue,
                    now: now
                ).id
            case .decline:
                let reason = description.isEmpty ? "Not our responsibility" : String(description.prefix(500))
                answer = try node.act(.decline(DeclineBody(reason: reason)), on: issue, now: now).id
            }
            try node.logOpen311(
                key: key.id,
                action: "update",
                issue: issue.hex,
                event: answer.hex,
                clientUpdateID: updateID,
                details: Self.details(form, status: statusText),
                now: now
            )
            return .list(
                container: "service_request_updates",
                element: "request_update",
                [.item([("update_id", .text(answer.hex))])]
            )
        } catch let failure as Failure {
            throw failure
        } catch let error as NodeError where error.code != .unavailable && error.code != .io {
            throw Failure(400, error.message)
        } catch {
            throw Failure(unexpected: error)
        }
    }

    /// What an update's log entry keeps: the status as posted and the poster's fields (private).
    static func details(_ form: [String: String], status: String) -> String {
        let details = JSONObject([
            "status": .string(status), "email": .string(form["email"] ?? ""),
            "first_name": .string(form["first_name"] ?? ""),
            "last_name": .string(form["last_name"] ?? ""), "media_url": .string(form["media_url"] ?? ""),
            "updated_datetime": .string(form["updated_datetime"] ?? ""),
        ])
        return (try? JSONValue.object(details).canonicalString()) ?? "{}"
    }

    /// The centre and rough radius (metres) of the area this node serves, if it serves one.
    func areaCentre() -> (Point, Double)? {
        let descriptor = try? node.store.descriptor(of: node.id)
        guard let area = descriptor?.area.flatMap({ try? Area(geoJSON: $0) }) else { return nil }
        let bounds = area.bounds
        guard bounds.minX.isFinite else { return nil }
        let centre = Point(
            x: ((bounds.minX + bounds.maxX) / 2 * 1e6).rounded() / 1e6,
            y: ((bounds.minY + bounds.maxY) / 2 * 1e6).rounded() / 1e6
        )
        return (centre, min(100_000, max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY) * 111_000 / 2))
    }

    static func containsHTML(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() where scalar == "<" && index + 1 < scalars.count {
            let next = scalars[index + 1]
            if next == "/" || next == "!" || (next.properties.isAlphabetic && next.isASCII) { return true }
        }
        return false
    }
}
