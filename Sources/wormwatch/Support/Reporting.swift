import ArgumentParser
import Foundation
import WormWatchCore

/// How the command line names a library's error: a request's setting becomes its option.
enum CommandLineLocation {
    /// Settings given as arguments rather than options: their subject alone names them.
    static let positional: Set<String> = ["paths", "presets"]

    /// `--hours`, `--vary worm.probe_rate=-1`, or a positional argument's value.
    static func of(_ error: any UserFacingError) -> String {
        guard let request = error.requestError else { return error.location }
        if positional.contains(request.setting) { return request.subject ?? "" }
        let option = "--" + request.setting.replacingOccurrences(of: "_", with: "-")
        return request.subject.map { option + " " + $0 } ?? option
    }

    /// `location: reason` as an option error (ArgumentParser's ``ValidationError``).
    static func validationError(_ error: any UserFacingError) -> ValidationError {
        let location = of(error)
        return ValidationError(location.isEmpty ? error.reason : location + ": " + error.reason)
    }
}

extension ParsableCommand {
    /// Runs `body`, reporting an error as `wormwatch: error: <where>: <what>` (and a hint) on
    /// stderr and exiting with its status.
    func reporting(_ body: () throws -> Void) throws {
        do { try body() } catch let error as any UserFacingError {
            let location = CommandLineLocation.of(error)
            Terminal.printError("wormwatch: error: \(location.isEmpty ? "" : location + ": ")\(error.reason)")
            if let hint = error.hint { Terminal.printError("hint: \(hint)") }
            throw ExitCode(error.exitStatus.rawValue)
        }
    }

    /// The same for asynchronous work.
    func reporting(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let error as any UserFacingError {
            let location = CommandLineLocation.of(error)
            Terminal.printError("wormwatch: error: \(location.isEmpty ? "" : location + ": ")\(error.reason)")
            if let hint = error.hint { Terminal.printError("hint: \(hint)") }
            throw ExitCode(error.exitStatus.rawValue)
        }
    }

    /// Runs a library's option checks inside `validate()`, as option errors.
    func checking(_ body: () throws -> Void) throws {
        do { try body() } catch let error as any UserFacingError { throw CommandLineLocation.validationError(error) }
    }
}
