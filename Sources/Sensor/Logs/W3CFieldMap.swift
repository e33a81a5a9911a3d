/// The columns of an IIS W3C extended log, from its latest `#Fields:` directive.
///
/// Only the fields the sensor reads have a role; any other field (`cs-username`,
/// `sc-win32-status`, `time-taken`, …) is a column that is counted and ignored.
struct W3CFieldMap {
    /// What a column holds.
    enum Role: UInt8 {
        case ignored, date, time, clientIP, serverIP, serverPort, method, uriStem, uriQuery, status, userAgent
        static let count = 11
    }

    /// The role of each declared column, in order.
    private(set) var roles: [Role]
    /// For each role, its column index or -1 (the first column with that role wins).
    private(set) var columns: [Int]

    /// The map declared by the text after `#Fields:`, fields separated by spaces or tabs.
    init(declaration: UnsafeRawBufferPointer) {
        roles = []
        columns = Array(repeating: -1, count: Role.count)
        var name: [UInt8] = []
        for byte in declaration + [32] {
            if byte == 32 || byte == 9 {
                if !name.isEmpty {
                    let role = Self.role(of: name)
                    if role != .ignored, columns[Int(role.rawValue)] < 0 {
                        columns[Int(role.rawValue)] = roles.count
                    }
                    roles.append(role)
                    name.removeAll(keepingCapacity: true)
                }
            } else {
                name.append(byte >= 65 && byte <= 90 ? byte | 0x20 : byte)
            }
        }
    }

    /// The column index of `role`, or -1.
    @inline(__always)
    func column(_ role: Role) -> Int { columns[Int(role.rawValue)] }

    private static func role(of lowercased: [UInt8]) -> Role {
        switch String(decoding: lowercased, as: UTF8.self) {
        case "date": .date
        case "time": .time
        case "c-ip": .clientIP
        case "s-ip": .serverIP
        case "s-port": .serverPort
        case "cs-method": .method
        case "cs-uri-stem": .uriStem
        case "cs-uri-query": .uriQuery
        case "sc-status": .status
        case "cs(user-agent)": .userAgent
        default: .ignored
        }
    }
}
