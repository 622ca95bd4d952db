import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXRouting
import CIXStore

extension Open311Gateway {
    /// The key a post names, or 403.
    public func authorise(_ key: String?) throws(Failure) -> APIKey {
        guard let key, !key.isEmpty else { throw Failure(403, "api_key is required") }
        do {
            guard let found = try node.store.apiKey(hash: Self.keyHash(key)) else { throw Failure(403, "api_key is not valid") }
            return found
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(unexpected: error)
        }
    }

    /// `POST requests`: a new signed, routed report.
    public func postRequest(_ form: [String: String], attributes: [String: String], key: APIKey, now: Timestamp)
        throws(Failure) -> Open311Document
    {
        guard node.authors else { throw Failure(405, "this node is a read-only mirror; post requests to an intake node") }
        guard let code = form["service_code"], !code.isEmpty else { throw Failure(400, "service_code is required") }
        guard let category = Taxonomy.category(open311: code) else { throw Failure(404, "service_code \(code) not found") }
        let description = (form["description"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard description.unicodeScalars.count <= 4_000 else { throw Failure(400, "description may be at most 4000 characters") }
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
            let (centre, radius) = fallbackLocation()
            (latitude, longitude, accuracy) = (centre.y, centre.x, radius)
        }
        guard let lat = latitude, let lon = longitude, (-90...90).contains(lat), (-180...180).contains(lon) else {
            throw Failure(400, "lat and long must be WGS84 degrees")
        }
        let extras = attributes.keys.sorted().compactMap { name in attributes[name].map { "\(name): \($0)" } }
        var text = description
        if !extras.isEmpty { text += (text.isEmpty ? "" : "\n\n") + extras.joined(separator: "\n") }
        let title = String((description.split(separator: "\n").first.map(String.init) ?? category.name).prefix(120))
        let name = [form["first_name"], form["last_name"]].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        let report = NewReport(
            title: title.isEmpty ? category.name : title, description: String(text.prefix(8_000)), category: category.code,
            latitude: lat, longitude: lon, address: address, accuracy: accuracy, reporterName: name.isEmpty ? nil : name,
            reporterEmail: form["email"].flatMap { $0.isEmpty ? nil : $0 }, reporterPhone: form["phone"].flatMap { $0.isEmpty ? nil : $0 })
        do {
            let (event, recipients) = try node.reportAndRoute(report, now: now)
            let details = JSONObject([
                "device_id": .string(form["device_id"] ?? ""), "account_id": .string(form["account_id"] ?? ""),
                "media_url": .string(form["media_url"] ?? ""), "address_id": .string(form["address_id"] ?? ""),
            ])
            try node.store.logOpen311(
                key: key.id, action: "request", issue: event.id.hex, event: event.id.hex, clientUpdateID: nil,
                details: (try? JSONValue.object(details).canonicalString()) ?? "{}", at: now)
            let notice = recipients.isEmpty
                ? "Received; no body covering this place and category is known yet, so it waits to be routed."
                : "Sent to " + recipients.map(\.name).joined(separator: ", ") + "."
            return .list(container: "service_requests", element: "request", [
                .item([("service_request_id", .text(event.id.hex)), ("service_notice", .text(notice)), ("account_id", .null)]),
            ])
        } catch let failure as Failure {
            throw failure
        } catch let error as NodeError where error.code != .unavailable && error.code != .io {
            throw Failure(400, error.message)
        } catch {
            throw Failure(unexpected: error)
        }
    }

    /// mySociety's `POST servicerequestupdates`: this agency's own answer on the issue.
    /// A repeated `update_id` from the same key is refused, as FixMyStreet expects.
    public func postUpdate(_ form: [String: String], key: APIKey, now: Timestamp) throws(Failure) -> Open311Document {
        guard node.authors else { throw Failure(405, "this node is a read-only mirror") }
        guard let requestID = form["service_request_id"], let issue = EventID(requestID.lowercased()) else {
            throw Failure(400, "service_request_id is required")
        }
        guard let updateID = form["update_id"], !updateID.isEmpty else { throw Failure(400, "update_id is required") }
        guard let statusText = form["status"], let action = Open311Status.action(for: statusText) else {
            throw Failure(400, "status must be one of \(Open311Status.extended.joined(separator: ", "))")
        }
        let description = String((form["description"] ?? "").prefix(2_000)).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !Self.containsHTML(description) else { throw Failure(400, "description may not contain HTML") }
        do {
            if try node.store.open311UpdateSeen(key: key.id, clientUpdateID: updateID) {
                throw Failure(400, "update_id \(updateID) was already posted")
            }
            guard let state = try node.store.issueState(issue) else { throw Failure(404, "service_request_id \(requestID) not found") }
            if state.agencies[node.id] == nil { _ = try node.route(issue, to: node.id, reason: "answering through Open311", now: now) }
            let event: Event
            switch action {
            case .status(let status):
                event = try node.act(.status(StatusBody(state: status, note: description.isEmpty ? nil : description)), on: issue, now: now)
            case .decline:
                let reason = description.isEmpty ? "Not our responsibility" : String(description.prefix(500))
                event = try node.act(.decline(DeclineBody(reason: reason)), on: issue, now: now)
            }
            let details = JSONObject([
                "status": .string(statusText), "email": .string(form["email"] ?? ""), "first_name": .string(form["first_name"] ?? ""),
                "last_name": .string(form["last_name"] ?? ""), "media_url": .string(form["media_url"] ?? ""),
                "updated_datetime": .string(form["updated_datetime"] ?? ""),
            ])
            guard try node.store.logOpen311(
                key: key.id, action: "update", issue: issue.hex, event: event.id.hex, clientUpdateID: updateID,
                details: (try? JSONValue.object(details).canonicalString()) ?? "{}", at: now)
            else { throw Failure(400, "update_id \(updateID) was already posted") }
            return .list(container: "service_request_updates", element: "request_update", [.item([("update_id", .text(event.id.hex))])])
        } catch let failure as Failure {
            throw failure
        } catch let error as NodeError where error.code != .unavailable && error.code != .io {
            throw Failure(400, error.message)
        } catch {
            throw Failure(unexpected: error)
        }
    }

    /// The centre and rough radius (metres) of this node's area, or of Greenfield when it has none.
    func fallbackLocation() -> (Point, Double) {
        let descriptor = try? node.store.descriptors().first { $0.node == node.id }
        let area = descriptor?.area.flatMap { try? Area(geoJSON: $0) } ?? Greenfield.body("council")?.area
        guard let bounds = area?.bounds, bounds.minX.isFinite else { return (Greenfield.center, 10_000) }
        let centre = Point(x: ((bounds.minX + bounds.maxX) / 2 * 1e6).rounded() / 1e6, y: ((bounds.minY + bounds.maxY) / 2 * 1e6).rounded() / 1e6)
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
