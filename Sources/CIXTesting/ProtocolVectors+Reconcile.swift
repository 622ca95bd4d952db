import CIXCanonicalJSON
import CIXCore
import CIXFederation

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
        var side = Reconciliation.Asker(holding: asker)
        var rounds: [JSONValue] = []
        while let asked = side.nextRequest() {
            let answers = Reconciliation.answer(asked, holding: answerer)
            rounds.append(
                .object(
                    JSONObject([
                        "request": Reconciliation.request(asked), "response": Reconciliation.response(answers),
                    ])
                )
            )
            side.take(answers)
        }
        return JSONObject([
            "description": .string(
                "Set reconciliation (federation.md, Repair). fingerprints: SHA-256 of the ids' bytes concatenated in ascending order, first 16 bytes in hex. exchange: the answerer holds answerer_ids, the asker asker_ids (ids are SHA-256 of \"cix reconcile vector N\"); each round is a request the asker sends and the response the answerer gives; missing_here are the ids the asker lacks, missing_there those the answerer lacks."
            ),
            "parts": .number(Double(Reconciliation.parts)), "list_up_to": .number(Double(Reconciliation.listUpTo)),
            "max_ranges": .number(Double(Reconciliation.maxRanges)),
            "fingerprints": .array(fingerprints),
            "exchange": .object(
                JSONObject([
                    "answerer_ids": .array(answerer.map { .string($0) }),
                    "asker_ids": .array(asker.map { .string($0) }),
                    "rounds": .array(rounds),
                    "missing_here": .array(side.missingHere.sorted().map { .string($0) }),
                    "missing_there": .array(side.missingThere.sorted().map { .string($0) }),
                ])
            ),
        ])
    }
}
