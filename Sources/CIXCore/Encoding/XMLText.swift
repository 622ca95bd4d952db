/// Text for XML 1.0 (Open311 documents, Atom feeds): the five special
/// characters escaped, and characters XML cannot carry at all dropped.
public enum XMLText {
    public static func escape(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\t", "\n", "\r": output.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value) {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }
}
