import ArgumentParser

/// `cix`: run and operate a CIX node.
@main
struct CIX: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cix",
        abstract: "Civic Issue eXchange: run and operate a node of a place's shared, signed issue list.",
        discussion: """
            Every command works on the node in --data DIR (default ./cix-data).
            Exit status: 0 success; 1 the operation failed or found faults (the message says which); \
            64 the command line was wrong.
            """,
        subcommands: [
            InitCommand.self, ReportCommand.self, IssueCommand.self,
            CommentCommand.self, ConfirmCommand.self, SolutionCommand.self, OfferCommand.self,
            StatusCommand.self, AcceptCommand.self, DeclineCommand.self, TransferCommand.self, RouteCommand.self,
            DuplicateCommand.self, RedactCommand.self,
            ExportCommand.self, ImportCommand.self, VerifyCommand.self, RepairCommand.self,
            ServeCommand.self, PeerCommand.self, SyncCommand.self, BlockCommand.self, UnblockCommand.self,
            CategoriesCommand.self, ServesCommand.self, APIKeyCommand.self, StaffCommand.self, AuditCommand.self,
            MailCommand.self, ExternalCommand.self, RetentionCommand.self, SubjectCommand.self, GazetteerCommand.self,
            KeysCommand.self, StoreCommand.self, CanonCommand.self, SchemaCommand.self, DemoCommand.self,
        ]
    )
}
