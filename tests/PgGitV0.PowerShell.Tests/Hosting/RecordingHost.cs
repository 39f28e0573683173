using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace PgGitV0.PowerShell.Tests.Hosting;

/// <summary>
/// A PowerShell host for tests: records what cmdlets show the user (host output such as -WhatIf lines
/// and Out-Host tables, progress records) and answers confirmation prompts from a script of answers.
/// </summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingHostUserInterface _ui = new();

    public override string Name => "PgGitV0TestHost";
    public override Version Version { get; } = new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override CultureInfo CurrentCulture => CultureInfo.GetCultureInfo("en-US");
    public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");
    public override PSHostUserInterface UI => _ui;

    public RecordingHostUserInterface Recorder => _ui;

    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }
}

public sealed partial class RecordingHostUserInterface : PSHostUserInterface
{
    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<ProgressRecord> _progress = [];
    private readonly List<string> _prompts = [];
    private readonly Queue<string> _answers = new();

    public override PSHostRawUserInterface RawUI { get; } = new RecordingRawUserInterface();

    /// <summary>Everything written to the host, e.g. "What if: ..." lines and Out-Host tables.</summary>
    public string Text { get { lock (_gate) return _text.ToString(); } }

    /// <summary>Copies of every progress record written, in order.</summary>
    public IReadOnlyList<ProgressRecord> Progress { get { lock (_gate) return [.. _progress]; } }

    /// <summary>The captions and messages of the choice prompts shown (ShouldProcess confirmations).</summary>
    public IReadOnlyList<string> Prompts { get { lock (_gate) return [.. _prompts]; } }

    /// <summary>Queues the label (e.g. "&amp;No" or "No") of the choice to pick at the next prompt.</summary>
    public void AnswerNextPrompt(string label)
    {
        lock (_gate) _answers.Enqueue(label);
    }

    public void Clear()
    {
        lock (_gate)
        {
            _text.Clear();
            _progress.Clear();
            _prompts.Clear();
        }
    }

    /// <summary>Like any host without virtual-terminal support, shows text without ANSI escape sequences.</summary>
    public override void Write(string value) { lock (_gate) _text.Append(AnsiEscape().Replace(value, "")); }
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
    public override void WriteLine(string value) => Write(value + "\n");
    public override void WriteErrorLine(string value) => WriteLine(value);
    public override void WriteDebugLine(string message) => WriteLine("DEBUG: " + message);
    public override void WriteVerboseLine(string message) => WriteLine("VERBOSE: " + message);
    public override void WriteWarningLine(string message) => WriteLine("WARNING: " + message);

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        var copy = new ProgressRecord(record.ActivityId, record.Activity, record.StatusDescription)
        {
            PercentComplete = record.PercentComplete,
            SecondsRemaining = record.SecondsRemaining,
            RecordType = record.RecordType,
            CurrentOperation = record.CurrentOperation,
        };
        lock (_gate) _progress.Add(copy);
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        string answer;
        lock (_gate)
        {
            _prompts.Add($"{caption}: {message}");
            if (!_answers.TryDequeue(out answer!))
                throw new InvalidOperationException($"unexpected prompt '{caption}: {message}'; queue an answer with AnswerNextPrompt");
        }
        for (var i = 0; i < choices.Count; i++)
        {
            if (string.Equals(choices[i].Label.Replace("&", ""), answer.Replace("&", ""), StringComparison.OrdinalIgnoreCase)) return i;
        }
        throw new InvalidOperationException($"no choice '{answer}' among {string.Join(", ", choices.Select(choice => choice.Label))}");
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
        throw new InvalidOperationException($"unexpected prompt for input: {caption} {message}");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw new InvalidOperationException("unexpected credential prompt");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        throw new InvalidOperationException("unexpected credential prompt");

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    public override string ReadLine() => throw new InvalidOperationException("unexpected ReadLine");
    public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("unexpected ReadLineAsSecureString");
}

/// <summary>A 120-column console, so that table views are laid out as a terminal of that width shows them.</summary>
public sealed class RecordingRawUserInterface : PSHostRawUserInterface
{
    public const int Width = 120;

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override Size BufferSize { get; set; } = new(Width, 3000);
    public override Coordinates CursorPosition { get; set; }
    public override int CursorSize { get; set; } = 1;
    public override bool KeyAvailable => false;
    public override Size MaxPhysicalWindowSize => new(Width, 50);
    public override Size MaxWindowSize => new(Width, 50);
    public override Coordinates WindowPosition { get; set; }
    public override Size WindowSize { get; set; } = new(Width, 50);
    public override string WindowTitle { get; set; } = "";

    public override void FlushInputBuffer() { }
    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
}
