using EcgOrleans.Client.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("ecg");
    config.AddCommand<BeatsCommand>("beats").WithDescription("Beat counts per AAMI class, per record and in total.");
    config.AddCommand<SynthCommand>("synth").WithDescription("Write a synthetic ECG database (ECGSYN model) as WFDB records.");
});
return await app.RunAsync(args);
