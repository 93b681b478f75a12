using EcgOrleans.Client.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("ecg");
    config.SetExceptionHandler((exception, _) =>
    {
        // Errors name what was wrong (record, file, field); a stack trace would bury that.
        var inner = exception is CommandAppException { InnerException: { } cause } ? cause : exception;
        AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {inner.Message}");
        return 1;
    });
    config.AddCommand<BeatsCommand>("beats").WithDescription("Beat counts per AAMI class, per record and in total.");
    config.AddCommand<IngestCommand>("ingest").WithDescription("Stream records into a run: beats are scored and merged into its class maps.");
    config.AddCommand<QrsCommand>("qrs").WithDescription("QRS detection scored beat by beat against reference annotations (bxb rules): Se and +P per record and gross.");
    config.AddCommand<SynthCommand>("synth").WithDescription("Write a synthetic ECG database (ECGSYN model) as WFDB records.");
});
return await app.RunAsync(args);
