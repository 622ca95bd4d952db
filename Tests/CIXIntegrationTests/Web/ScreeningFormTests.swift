import CIXCore
import CIXTesting
import Foundation
import Testing

/// Personal data typed into the report form or posted through Open311 is
/// never published as it is: the resident is warned and may edit, or send
/// again to have it masked; an Open311 client's report is masked and told so.
@Suite("Screening through the form and Open311", .serialized)
struct ScreeningFormTests {
    @Test func theFormWarnsThenMasksOnASecondSend() async throws {
        let folder = TemporaryDirectory("screening-form")
        defer { folder.remove() }
        let (council, key) = try await LiveNode.greenfieldCouncil(in: folder)
        do {
            let client = WebClient(node: council)
            let session = try await client.formSession("/report")
            let fields = [
                ("category", "litter"), ("title", "Litter again, ring 07700 900123"), ("lat", "52.205"),
                ("lon", "0.125"), ("csrf", session.token),
            ]
            let warned = try await client.post("/report", fields, headers: [("Cookie", session.cookie)])
            #expect(warned.status == 422)
            #expect(
                warned.text.contains("In the title, this looks like a phone number: “07700 900123”"),
                "\(warned.text)"
            )
            #expect(warned.text.contains("<input type=\"hidden\" name=\"screened\" value=\"1\">"))
            #expect(try council.node.store.counts().events == 0)
            let sent = try await client.post(
                "/report",
                fields + [("screened", "1")],
                headers: [("Cookie", session.cookie)]
            )
            #expect(sent.status == 303)
            let id = try #require(sent.header("location")?.split(separator: "/").dropFirst().first.map(String.init))
            let issue = try #require(EventID(id))
            #expect(
                try council.node.store.issueState(issue)?.report?.title == "Litter again, ring [phone number removed]"
            )

            // Open311: masked at once, and the answer says so; the title taken from the first line is clean too.
            let posted = try await client.post(
                "/open311/v2/requests.xml",
                [
                    ("api_key", key), ("service_code", "WS-002"), ("lat", "52.205"), ("long", "0.125"),
                    ("description", "Bins out all week, owner on 07700 900456\r\nand ann@example.org"),
                ]
            )
            #expect(posted.status == 200)
            let request = try #require(XMLTree.parse(posted.body)?.child("request"))
            let notice = request.value("service_notice") ?? ""
            #expect(notice.contains("A phone number was removed from the title before publication."), "\(notice)")
            #expect(notice.contains("An e-mail address was removed from the details before publication."))
            let state = try #require(
                try request.value("service_request_id").flatMap(EventID.init).flatMap {
                    try council.node.store.issueState($0)
                }
            )
            #expect(state.report?.title == "Bins out all week, owner on [phone number removed]")
            #expect(state.report?.description.contains("07700") == false)
            #expect(state.report?.description.contains("example.org") == false)
        } catch {
            await council.stop()
            throw error
        }
        await council.stop()
    }
}
