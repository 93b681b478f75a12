using System.ComponentModel;
using EcgOrleans.Client.Data;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>The options of <c>ecg beats</c>.</summary>
internal sealed class BeatsSettings : DataSettings
{
    [CommandOption(RecordRefusals.Option), Description(RecordRefusals.Description)]
    public bool KeepGoing { get; init; }
}
