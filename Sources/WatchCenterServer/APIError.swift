import HTTPTypes
import Hummingbird
import WatchCenter
import WormWatchCore

/// An error answer: a status and `{"format":"wormwatch.error/1","error":{"status":…,"code":…,
/// "message":…,"line":…,"field":…}}`. Every refusal the center gives has this shape.
public struct APIError: Error, Sendable, HTTPResponseError {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable machine-readable code (`unknown_token`, `malformed_json`).
    public var code: String
    /// What is wrong, in words.
    public var message: String
    /// The 1-based line of the body at fault, if one is.
    public var line: Int?
    /// The field at fault, if one is (a JSON key or a query parameter).
    public var field: String?
    /// Extra headers (Retry-After, WWW-Authenticate).
    public var headers: HTTPFields

    /// Creates an error answer.
    public init(_ status: HTTPResponse.Status, code: String, message: String, line: Int? = nil, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.line = line
        self.field = field
        self.headers = headers
    }

    /// A batch the parser refused.
    public init(_ error: IngestError) {
        self.init(
            HTTPResponse.Status(code: error.code.httpStatus), code: error.code.rawValue, message: error.message, line: error.line,
            field: error.field)
    }

    /// A store's refusal.
    public init(_ error: StoreError) {
        switch error {
        case .unavailable, .schemaTooNew:
            self.init(.serviceUnavailable, code: "store_unavailable", message: error.reason, headers: [.retryAfter: "5"])
        case .keyReused(let key):
            self.init(.unprocessableContent, code: "idempotency_key_reused", message: "Idempotency-Key '\(key)' was used before for a different body", field: "Idempotency-Key")
        case .unknownSensor(let name, let suggestion):
            self.init(.notFound, code: "unknown_sensor", message: "no sensor '\(name)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? ""), field: "sensor")
        default:
            self.init(.internalServerError, code: "store_failed", message: error.reason)
        }
    }

    /// A bad query parameter.
    public static func parameter(_ name: String, _ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_parameter", message: message, field: name)
    }

    /// The JSON body.
    public var body: String {
        var w = JSONWriter(pretty: false)
        w.openObject()
        w.string("format", "wormwatch.error/1")
        w.openObject("error")
        w.int("status", status.code)
        w.string("code", code)
        w.string("message", message)
        if let line { w.int("line", line) }
        if let field { w.string("field", field) }
        w.closeObject()
        w.closeObject()
        return w.text + "\n"
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
