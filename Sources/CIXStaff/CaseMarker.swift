/// Markers a body puts on a case, kept on its node only (never signed or sent):
/// a need-to-know restriction, and safeguarding markers that warn whoever opens it.
package enum CaseMarker: String, Sendable, CaseIterable {
    /// Only people with `view-restricted`, or the person assigned, may open the case.
    case restricted
    case vulnerablePerson = "vulnerable-person"
    case repeatVictim = "repeat-victim"
    case safeguarding

    package var label: String {
        switch self {
        case .restricted: "Restricted: need to know"
        case .vulnerablePerson: "Vulnerable person"
        case .repeatVictim: "Repeat victim"
        case .safeguarding: "Safeguarding concern"
        }
    }

    /// What setting or removing it needs: a restriction, the right to see past one.
    package var permission: Permission { self == .restricted ? .viewRestricted : .answer }
}
