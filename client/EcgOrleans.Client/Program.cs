using EcgOrleans.Client.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("ecg");
    config.AddCommand<BeatsCommand>("beats").WithDescription("Beat counts per AAMI class, per record and in total.");
    config.AddCommand<TrainCommand>("train").WithDescription("Train a beat classifier on MIT-BIH (intra- or inter-patient) and write a checkpoint.");
    config.AddCommand<EvaluateCommand>("evaluate").WithDescription("Per-class AAMI figures and confusion matrix of a checkpoint on MIT-BIH.");
});
return await app.RunAsync(args);
