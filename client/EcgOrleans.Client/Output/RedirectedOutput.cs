using System.Text;
using Spectre.Console;

namespace EcgOrleans.Client.Output;

/// <summary>
/// The console for output into a file or a pipe: wide enough that no line wraps mid-sentence (Spectre would wrap at 80
/// columns), and without the spaces Spectre pads lines with to that width.
/// </summary>
internal static class RedirectedOutput
{
    /// <summary>Columns of redirected output: wider than any line the commands print.</summary>
    public const int Width = 1000;

    public static IAnsiConsole Create(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(new TrailingSpaceTrimmer(output)),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Width;
        return console;
    }
}

/// <summary>Writes through to another writer, dropping the spaces at the end of every line.</summary>
internal sealed class TrailingSpaceTrimmer(TextWriter inner) : TextWriter
{
    private int _spaces;

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        switch (value)
        {
            case ' ':
                _spaces++;
                return;
            case '\n':
                _spaces = 0;
                break;
            default:
                if (_spaces > 0) inner.Write(new string(' ', _spaces));
                _spaces = 0;
                break;
        }
        inner.Write(value);
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "") Write(c);
    }

    public override void Flush() => inner.Flush();
}
