import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXStore

extension ProtocolVectors {
    /// Set reconciliation (`federation.md`, Repair): fingerprints, and a whole exchange between
    /// an asker and an answerer that each lack a few of the other's ids.
    static func reconcile() -> JSONObject {
        func id(_ number: Int) -> String { SHA256Hex.hash(Array("cix reconcile vector \(number)".utf8)) }
        let answerer = (0..<300).filter { ![7, 150].contains($0) }.map(id).sorted()
        let asker = (0..<300).filter { ![42, 199, 250].contains($0) }.map(id).sorted()
        let fingerprints: [JSONValue] = [[], [id(0)], [id(1), id(2), id(3)].sorted()].map { ids in
            .object(
                JSONObject([
                    "ids": .array(ids.map { .string($0) }),
                    "fingerprint": .string(Reconciliation.fingerprint(ids[...])),
                ])
            )
        }
        return JSONObject([
            "description": .string(
                "Set reconciliation (federation.md, Repair). fingerprints: SHA-256 of the ids' bytes concatenated in ascending order, first 16 bytes in hex. exchange: the answerer holds answerer_ids, the asker asker_ids (ids are SHA-256 of \"cix reconcile vector N\"); each round is a request the asker sends and the response the answerer gives; missing_here are the ids the asker lacks, missing_there those the answerer lacks."
            ),
            "parts": .number(Double(Reconciliation.parts)), "list_up_to": .number(Double(Reconciliation.listUpTo)),
            "max_ranges": .number(Double(Reconciliation.maxRanges)),
            "fingerprints": .array(fingerprints),
            "exchange": .object(exchange(answerer: answerer, asker: asker, scheme: .sha256)),
        ])
    }

    /// The `sum` scheme of set reconciliation: fingerprints with their sums (one that wraps past
    /// 2^256), and the same exchange as `reconcile.json` with every request naming the scheme.
    static func reconcileSum() -> JSONObject {
        func id(_ number: Int) -> String { SHA256Hex.hash(Array("cix reconcile vector \(number)".utf8)) }
        let answerer = (0..<300).filter { ![7, 150].contains($0) }.map(id).sorted()
        let asker = (0..<300).filter { ![42, 199, 250].contains($0) }.map(id).sorted()
        let wrapping = [String(repeating: "0", count: 63) + "1", String(repeating: "f", count: 64)]
        let sets = [[], [id(0)], [id(1), id(2), id(3)].sorted(), wrapping, answerer]
        let fingerprints: [JSONValue] = sets.map { ids in
            var sum = IDSum()
            for id in ids { sum.add(id: id) }
            return .object(
                JSONObject([
                    "ids": .array(ids.map { .string($0) }),
                    "sum": .string(Hex.encode(sum.bytes)),
                    "count": .number(Double(ids.count)),
                    "fingerprint": .string(Reconciliation.fingerprint(ids[...], scheme: .sum)),
                ])
            )
        }
        return JSONObject([
            "description": .string(
                "Set reconciliation (federation.md, Repair) with \"scheme\": \"sum\". fingerprints: each id read as a 256-bit unsigned integer, big-endian; sum: their sum modulo 2^256 as 32 bytes big-endian (64 hex digits); fingerprint: the first 16 bytes in hex of the SHA-256 of the sum's 32 bytes followed by the count as 8 bytes big-endian. exchange: the sets of reconcile.json; each round is a request the asker sends and the response the answerer gives; missing_here are the ids the asker lacks, missing_there those the answerer lacks."
            ),
            "fingerprints": .array(fingerprints),
            "exchange": .object(exchange(answerer: answerer, asker: asker, scheme: .sum)),
        ])
    }

    /// A set narrowed to some authors' events: the ids of `reconcile.json` spread over three authors,
    /// each side lacking a few of the other's (some by the authors named, some by the other), and
    /// an exchange by `sum` whose requests name two of the three.
    static func reconcileAuthors() -> JSONObject {
        func id(_ number: Int) -> String { SHA256Hex.hash(Array("cix reconcile vector \(number)".utf8)) }
        let authors = (0..<3).map { SHA256Hex.hash(Array("cix reconcile author \($0)".utf8)) }
        let named = [authors[0], authors[2]].sorted()
        func events(lacking: [Int]) -> [(id: String, author: String)] {
            (0..<300).filter { !lacking.contains($0) }.map { (id($0), authors[$0 % 3]) }.sorted { $0.id < $1.id }
        }
        let answerer = events(lacking: [7, 150, 151])
        let asker = events(lacking: [42, 199, 250, 251])
        func json(_ events: [(id: String, author: String)]) -> JSONValue {
            .array(events.map { .object(JSONObject(["id": .string($0.id), "author": .string($0.author)])) })
        }
        func narrowed(_ events: [(id: String, author: String)]) -> [String] {
            events.filter { named.contains($0.author) }.map(\.id)
        }
        var exchange = exchange(
            answerer: narrowed(answerer),
            asker: narrowed(asker),
            scheme: .sum,
            authors: named.compactMap(NodeID.init)
        )
        exchange["answerer_events"] = json(answerer)
        exchange["asker_events"] = json(asker)
        exchange["answerer_ids"] = nil
        exchange["asker_ids"] = nil
        return JSONObject([
            "description": .string(
                "Set reconciliation (federation.md, Repair) narrowed to the events of some authors: every request names \"authors\" (ascending node ids) and \"scheme\": \"sum\"; each side's set is the ids of its events whose author is among them. exchange: the answerer holds answerer_events, the asker asker_events (ids as in reconcile.json, authors SHA-256 of \"cix reconcile author K\"); each round is a request the asker sends and the response the answerer gives; missing_here are the ids of the named authors' events the asker lacks, missing_there those the answerer lacks (events of the third author that either lacks are outside the set)."
            ),
            "authors": .array(named.map { .string($0) }),
            "exchange": .object(exchange),
        ])
    }

    /// A whole exchange between an asker holding `asker` and an answerer holding `answerer`.
    static func exchange(
        answerer: [String],
        asker: [String],
        scheme: Reconciliation.Scheme,
        authors: [NodeID]? = nil
    ) -> JSONObject {
        var side = Reconciliation.Asker(holding: asker, scheme: scheme)
        var rounds: [JSONValue] = []
        while let asked = side.nextRequest() {
            let answers = Reconciliation.answer(asked, holding: answerer, scheme: scheme)
            rounds.append(
                .object(
                    JSONObject([
                        "request": Reconciliation.request(asked, scheme: scheme, authors: authors),
                        "response": Reconciliation.response(answers),
                    ])
                )
            )
            side.take(answers)
        }
        return JSONObject([
            "answerer_ids": .array(answerer.map { .string($0) }),
            "asker_ids": .array(asker.map { .string($0) }),
            "rounds": .array(rounds),
            "missing_here": .array(side.missingHere.sorted().map { .string($0) }),
            "missing_there": .array(side.missingThere.sorted().map { .string($0) }),
        ])
    }
}
