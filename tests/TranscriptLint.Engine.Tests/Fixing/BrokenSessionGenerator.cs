using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace TranscriptLint.Tests.Fixing;

/// <summary>One turn of a generated session: a prompt and the assistant's (possibly split) response.</summary>
/// <param name="Calls">Parallel tool calls in the response (0: a text-only answer).</param>
/// <param name="Thinking">Whether the response starts with a signed thinking block.</param>
/// <param name="Text">Whether the response has a text block before the calls.</param>
/// <param name="ResultsReversed">Whether the results are written last call first (as Claude Code often does).</param>
/// <param name="Progress">Whether a hook progress line follows each call.</param>
internal sealed record TurnSpec(int Calls, bool Thinking, bool Text, bool ResultsReversed, bool Progress);

/// <summary>A breakage applied to a generated session.</summary>
/// <param name="Kind">0 crash mid-tool, 1 drop a parallel result, 2 synthetic 429 row, 3 duplicate a line, 4 torn last line.</param>
/// <param name="Where">Picks the turn or line (taken modulo what exists).</param>
/// <param name="Variant">A second choice (e.g. whether the user typed "continue" after a 429).</param>
internal sealed record Breakage(int Kind, int Where, bool Variant);

/// <summary>
/// Generates real-shaped Claude Code sessions (the envelope, split responses sharing message.id, parallel tool
/// calls with results on side branches, hook progress lines) and then breaks them the way sessions break.
/// </summary>
internal static class BrokenSessionGenerator
{
    private static readonly string[] Words = ["fix", "the", "csv", "export", "run", "tests", "again", "why", "does", "sync", "fail", "on", "ünïcödé", "names", "\"quoted\"", "tab\there", "line\nbreak", "emoji 🎉"];

    public static readonly Gen<TurnSpec> Turn = Gen.Select(Gen.Int[0, 3], Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool, (c, t, x, r, p) => new TurnSpec(c, t, x, r, p));

    public static readonly Gen<Breakage> Break = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 1000], Gen.Bool, (k, w, v) => new Breakage(k, w, v));

    public static readonly Gen<(TurnSpec[] Turns, Breakage[] Breaks)> Session = Gen.Select(Turn.Array[1, 6], Break.Array[0, 3]);

    public static byte[] Build(TurnSpec[] turns, Breakage[] breaks)
    {
        var s = new Builder();
        s.Build(turns);
        foreach (var b in breaks.Where(b => b.Kind != 4))
        {
            s.Apply(b);
        }

        var text = string.Concat(s.Lines.Select(l => l + "\n"));
        if (breaks.FirstOrDefault(b => b.Kind == 4) is { } torn)
        {
            // A crash while appending: half a line and no newline.
            var line = s.TornUserLine(s.LastUuid(), "and then " + Word(torn.Where));
            text += line[..(line.Length / 2)];
        }

        return Encoding.UTF8.GetBytes(text);
    }

    private static string Word(int i) => Words[i % Words.Length];

    private sealed class Builder
    {
        private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        private int _n;
        private readonly List<(int Turn, List<int> CallLines, List<int> ResultLines, int Continuation)> _turns = [];

        public List<string> Lines { get; } = [];

        private readonly List<string?> _uuids = [];

        public void Build(TurnSpec[] turns)
        {
            Add("""{"type":"file-history-snapshot","messageId":"00000000-0000-4000-8000-000000000000","snapshot":{"messageId":"00000000-0000-4000-8000-000000000000","trackedFileBackups":{},"timestamp":"2026-02-12T09:00:00.000Z"},"isSnapshotUpdate":false}""", null);
            string? parent = null;
            for (var t = 0; t < turns.Length; t++)
            {
                var spec = turns[t];
                parent = AddUuidLine(UserLineWithUuid(parent, Prompt(t)));
                var messageId = "msg_01" + (t + 1).ToString("D22", CultureInfo.InvariantCulture);
                if (spec.Thinking)
                {
                    parent = AddUuidLine(AssistantLine(parent, messageId, new JsonObject { ["type"] = "thinking", ["thinking"] = "Let me think about " + Word(t), ["signature"] = "EqMBCkYIBxgCKkD" + Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("sig-" + t + "-", 24)))) }));
                }

                if (spec.Text || spec.Calls == 0)
                {
                    parent = AddUuidLine(AssistantLine(parent, messageId, new JsonObject { ["type"] = "text", ["text"] = "Looking at " + Word(t + 3) + " now." }));
                }

                var callLines = new List<int>();
                var ids = new List<string>();
                for (var c = 0; c < spec.Calls; c++)
                {
                    var id = "toolu_01" + (t * 10 + c + 1).ToString("D22", CultureInfo.InvariantCulture);
                    ids.Add(id);
                    parent = AddUuidLine(AssistantLine(parent, messageId, new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "grep -rn " + Word(t + c) + " src" } }));
                    callLines.Add(Lines.Count - 1);
                    if (spec.Progress)
                    {
                        AddUuidLine(ProgressLine(_uuids[^1]!, id));
                    }
                }

                var resultLines = new List<int>();
                if (spec.Calls > 0)
                {
                    var order = Enumerable.Range(0, spec.Calls).ToList();
                    if (spec.ResultsReversed)
                    {
                        order.Reverse();
                    }

                    foreach (var c in order)
                    {
                        parent = AddUuidLine(ResultLine(_uuids[callLines[c]]!, ids[c], "result of " + Word(t + c)));
                        resultLines.Add(Lines.Count - 1);
                    }

                    parent = AddUuidLine(AssistantLine(parent, "msg_02" + (t + 1).ToString("D22", CultureInfo.InvariantCulture), new JsonObject { ["type"] = "text", ["text"] = "Done with " + Word(t) + "." }));
                }

                _turns.Add((t, callLines, resultLines, Lines.Count - 1));
            }
        }

        public void Apply(Breakage b)
        {
            var withCalls = _turns.Where(t => t.CallLines.Count > 0 && t.CallLines[^1] < Lines.Count && t.ResultLines.All(r => r < Lines.Count)).ToList();
            switch (b.Kind)
            {
                case 0 when withCalls.Count > 0:
                    {
                        // Crash mid-tool: everything after the last call line is lost; the user resumes and asks.
                        var turn = withCalls[b.Where % withCalls.Count];
                        var cut = turn.CallLines[^1] + 1;
                        Lines.RemoveRange(cut, Lines.Count - cut);
                        _uuids.RemoveRange(cut, _uuids.Count - cut);
                        _turns.RemoveAll(t => t.Turn >= turn.Turn);
                        var callUuid = LastUuid();
                        var prompt = AddUuidLine(UserLineWithUuid(callUuid, "claude crashed, where were we?"));
                        AddUuidLine(AssistantLine(prompt, "msg_03" + b.Where.ToString("D22", CultureInfo.InvariantCulture), new JsonObject { ["type"] = "text", ["text"] = "We were running " + Word(b.Where) + "." }));
                        break;
                    }

                case 1:
                    {
                        // A parallel call whose result never got written: drop a result that is not on the chain.
                        var parallel = withCalls.Where(t => t.ResultLines.Count >= 2).ToList();
                        if (parallel.Count == 0)
                        {
                            break;
                        }

                        var turn = parallel[b.Where % parallel.Count];
                        var drop = turn.ResultLines[b.Variant ? 0 : turn.ResultLines.Count - 2];
                        Lines[drop] = ""; // removed below, keeping indexes stable
                        break;
                    }

                case 2:
                    {
                        // The harness wrote a synthetic API-error row into the chain; maybe the user typed on.
                        var leaf = LastUuid();
                        var row = AddUuidLine(SyntheticErrorLine(leaf));
                        if (b.Variant)
                        {
                            var prompt = AddUuidLine(UserLineWithUuid(row, "continue"));
                            AddUuidLine(AssistantLine(prompt, "msg_04" + b.Where.ToString("D22", CultureInfo.InvariantCulture), new JsonObject { ["type"] = "text", ["text"] = "Continuing with " + Word(b.Where) + "." }));
                        }

                        break;
                    }

                case 3:
                    {
                        // A line appended twice.
                        var candidates = Enumerable.Range(0, Lines.Count).Where(i => Lines[i].Length > 0).ToList();
                        var i = candidates[b.Where % candidates.Count];
                        Lines.Insert(i + 1, Lines[i]);
                        _uuids.Insert(i + 1, _uuids[i]);
                        ShiftTurns(i + 1);
                        break;
                    }
            }

            for (var i = Lines.Count - 1; i >= 0; i--)
            {
                if (Lines[i].Length == 0)
                {
                    Lines.RemoveAt(i);
                    _uuids.RemoveAt(i);
                    ShiftTurns(i, -1);
                }
            }
        }

        private void ShiftTurns(int from, int by = 1)
        {
            for (var k = 0; k < _turns.Count; k++)
            {
                var (turn, calls, results, cont) = _turns[k];
                _turns[k] = (turn, [.. calls.Select(c => c >= from ? c + by : c)], [.. results.Where(r => by > 0 || r != from).Select(r => r >= from ? r + by : r)], cont >= from ? cont + by : cont);
            }
        }

        public string? LastUuid() => _uuids.LastOrDefault(u => u is not null);

        private string Prompt(int t) => string.Join(' ', Enumerable.Range(t, 4).Select(Word));

        private void Add(string line, string? uuid)
        {
            Lines.Add(line);
            _uuids.Add(uuid);
        }

        private string AddUuidLine((string Line, string Uuid) l)
        {
            Add(l.Line, l.Uuid);
            return l.Uuid;
        }

        private (string Uuid, string Timestamp) Next()
        {
            _n++;
            return ($"00000000-0000-4000-8000-{_n:D12}", new DateTime(2026, 2, 12, 9, 14, 0, DateTimeKind.Utc).AddSeconds(_n).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        }

        private JsonObject Envelope(string? parent) => new()
        {
            ["parentUuid"] = parent,
            ["isSidechain"] = false,
            ["userType"] = "external",
            ["cwd"] = "/home/dana/src/ledgerline",
            ["sessionId"] = "5bb58492-9daf-46be-ad21-914625ee8c4c",
            ["version"] = "2.1.39",
            ["gitBranch"] = "main",
        };

        private static string Write(JsonObject o) => o.ToJsonString(Json);

        public string TornUserLine(string? parent, string text) => UserLineWithUuid(parent, text).Line;

        private (string Line, string Uuid) UserLineWithUuid(string? parent, string text)
        {
            var (uuid, ts) = Next();
            var o = Envelope(parent);
            o["type"] = "user";
            o["message"] = new JsonObject { ["role"] = "user", ["content"] = text };
            o["uuid"] = uuid;
            o["timestamp"] = ts;
            return (Write(o), uuid);
        }

        private (string Line, string Uuid) AssistantLine(string? parent, string messageId, JsonObject block)
        {
            var (uuid, ts) = Next();
            var o = Envelope(parent);
            o["message"] = new JsonObject
            {
                ["model"] = "claude-opus-4-6",
                ["id"] = messageId,
                ["type"] = "message",
                ["role"] = "assistant",
                ["content"] = new JsonArray(block),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = 1, ["output_tokens"] = 12 },
            };
            o["requestId"] = "req_011" + messageId[^10..];
            o["type"] = "assistant";
            o["uuid"] = uuid;
            o["timestamp"] = ts;
            return (Write(o), uuid);
        }

        private (string Line, string Uuid) ResultLine(string callLineUuid, string toolId, string text)
        {
            var (uuid, ts) = Next();
            var o = Envelope(callLineUuid);
            o["type"] = "user";
            o["message"] = new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["tool_use_id"] = toolId, ["type"] = "tool_result", ["content"] = text, ["is_error"] = false }) };
            o["uuid"] = uuid;
            o["timestamp"] = ts;
            o["toolUseResult"] = new JsonObject { ["stdout"] = text, ["stderr"] = "", ["interrupted"] = false };
            o["sourceToolAssistantUUID"] = callLineUuid;
            return (Write(o), uuid);
        }

        private (string Line, string Uuid) ProgressLine(string parent, string toolId)
        {
            var (uuid, ts) = Next();
            var o = Envelope(parent);
            o["type"] = "progress";
            o["data"] = new JsonObject { ["type"] = "hook_progress", ["hookEvent"] = "PreToolUse", ["hookName"] = "PreToolUse:Bash", ["command"] = "/home/dana/.claude/hooks/guard.sh" };
            o["parentToolUseID"] = toolId;
            o["toolUseID"] = toolId;
            o["timestamp"] = ts;
            o["uuid"] = uuid;
            return (Write(o), uuid);
        }

        private (string Line, string Uuid) SyntheticErrorLine(string? parent)
        {
            var (uuid, ts) = Next();
            var o = Envelope(parent);
            o["message"] = new JsonObject
            {
                ["id"] = "c529e606-22ee-44bb-85e5-" + _n.ToString("D12", CultureInfo.InvariantCulture),
                ["container"] = null,
                ["model"] = "<synthetic>",
                ["role"] = "assistant",
                ["stop_reason"] = "stop_sequence",
                ["stop_sequence"] = "",
                ["type"] = "message",
                ["usage"] = new JsonObject { ["input_tokens"] = 0, ["output_tokens"] = 0 },
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "API Error: 429 {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"This request would exceed your account's rate limit. Please try again later.\"}}" }),
            };
            o["type"] = "assistant";
            o["uuid"] = uuid;
            o["timestamp"] = ts;
            o["isApiErrorMessage"] = true;
            return (Write(o), uuid);
        }
    }
}
