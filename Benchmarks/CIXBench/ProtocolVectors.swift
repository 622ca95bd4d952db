enum ProtocolVectors { static func write(to url: URL) throws {} }
import Foundation
