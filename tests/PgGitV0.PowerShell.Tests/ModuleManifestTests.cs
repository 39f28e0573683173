using System.Xml.Linq;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>The built module folder: what it exports, its help, and that it imports cleanly.</summary>
public sealed class ModuleManifestTests : IDisposable
{
    private readonly ModuleSession _session = ModuleSession.Start();

    public void Dispose() => _session.Dispose();

    [Fact]
    public void The_built_folder_holds_manifest_assembly_format_and_help()
    {
        foreach (var file in new[] { "PgGitV0.psd1", "PgGitV0.dll", "PgGitV0.format.ps1xml", "en-US/PgGitV0.dll-Help.xml", "Grpc.Net.Client.dll", "Google.Protobuf.dll" })
            Assert.True(File.Exists(Path.Combine(ModuleSession.ModuleFolder, file)), $"{file} missing from {ModuleSession.ModuleFolder}");
        Assert.Equal(File.ReadAllText(Path.Combine(ModuleSession.RepoRoot, "PgGitV0.psd1")), File.ReadAllText(ModuleSession.ManifestPath));
    }

    [Fact]
    public void Manifest_exports_exactly_the_cmdlets_the_assembly_defines()
    {
        var result = _session.Run("""
            $manifest = [scriptblock]::Create([IO.File]::ReadAllText($args[0]))
            $manifest.CheckRestrictedLanguage([string[]]@(), [string[]]@(), $false)
            $listed = (& $manifest).CmdletsToExport
            $module = Get-Module PgGitV0
            $defined = $module.ImplementingAssembly.GetExportedTypes() |
                ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
                ForEach-Object { "$($_.VerbName)-$($_.NounName)" }
            $commands = Get-Command -Module PgGitV0 | ForEach-Object Name
            [pscustomobject]@{ Listed = [string[]]$listed; Defined = [string[]]$defined; Commands = [string[]]$commands }
            """, ModuleSession.ManifestPath).Succeeded();

        var sets = result.Output.Single();
        var listed = ((string[])sets.Properties["Listed"].Value).Order().ToList();
        var defined = ((string[])sets.Properties["Defined"].Value).Order().ToList();
        var commands = ((string[])sets.Properties["Commands"].Value).Order().ToList();
        Assert.Equal(defined, listed);
        Assert.Equal(defined, commands);
        Assert.Contains("Watch-PgGitActivity", commands);
    }

    [Fact]
    public void Import_writes_no_warning_and_every_verb_is_approved()
    {
        using var fresh = ModuleSession.Start(importModule: false);
        var result = fresh.Run("""
            Import-Module $args[0] -ErrorAction Stop -WarningVariable warnings 3>$null
            $warnings
            """, ModuleSession.ManifestPath).Succeeded();
        Assert.Empty(result.Output);

        var verbs = _session.Run("""
            $approved = [System.Management.Automation.VerbsCommon], [System.Management.Automation.VerbsCommunications],
                [System.Management.Automation.VerbsData], [System.Management.Automation.VerbsDiagnostic],
                [System.Management.Automation.VerbsLifecycle], [System.Management.Automation.VerbsOther],
                [System.Management.Automation.VerbsSecurity] |
                ForEach-Object { $_.GetFields() } | ForEach-Object { $_.GetValue($null) }
            Get-Command -Module PgGitV0 | Where-Object { $approved -notcontains $_.Verb } | ForEach-Object Name
            """).Succeeded();
        Assert.Empty(verbs.Output);
    }

    [Fact]
    public void Every_cmdlet_has_full_help_with_a_description_an_example_and_every_parameter_described()
    {
        var result = _session.Run("""
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            foreach ($command in Get-Command -Module PgGitV0) {
                $help = Get-Help $command.Name -Full
                $described = @($help.parameters.parameter | Where-Object { ($_.description | ForEach-Object Text) -join '' } | ForEach-Object name)
                [pscustomobject]@{
                    Name        = $command.Name
                    Synopsis    = $help.Synopsis
                    Description = ($help.description | ForEach-Object Text) -join ' '
                    Examples    = @($help.examples.example).Count
                    FirstCode   = [string]@($help.examples.example)[0].code
                    Undescribed = [string[]]@($command.Parameters.Keys | Where-Object { $common -notcontains $_ -and $described -notcontains $_ })
                }
            }
            """).Succeeded();

        Assert.Equal(31, result.Output.Count);
        foreach (var help in result.Output)
        {
            var name = (string)help.Properties["Name"].Value;
            Assert.False(string.IsNullOrWhiteSpace((string)help.Properties["Description"].Value), $"{name} has no description");
            // Without MAML, Get-Help makes the synopsis from the syntax, which starts with the name.
            Assert.DoesNotContain(name, (string)help.Properties["Synopsis"].Value);
            Assert.True((int)help.Properties["Examples"].Value >= 1, $"{name} has no example");
            Assert.False(string.IsNullOrWhiteSpace(help.Properties["FirstCode"].Value as string), $"{name}'s example has no code");
            Assert.Empty((string[])help.Properties["Undescribed"].Value);
        }
    }

    [Fact]
    public void Every_table_view_fits_120_columns_and_shows_properties_its_type_has()
    {
        var format = XDocument.Load(Path.Combine(ModuleSession.ModuleFolder, "PgGitV0.format.ps1xml"));
        var views = format.Descendants("View").ToList();
        Assert.Equal(24, views.Count);
        foreach (var view in views)
        {
            var typeName = (string)view.Element("ViewSelectedBy")!.Element("TypeName")!;
            var widths = view.Descendants("TableColumnHeader").Select(header => (int)header.Element("Width")!).ToList();
            Assert.True(widths.Sum() + widths.Count - 1 <= 120, $"{typeName}: {widths.Sum() + widths.Count - 1} columns");

            // The insight rows are PSObjects named by type name; InsightTests checks their views against real rows.
            if (typeName.StartsWith("PgGitV0.PowerShell.Insight.", StringComparison.Ordinal)) continue;
            var properties = _session.Run("[type]$args[0] | ForEach-Object { $_.GetProperties() } | ForEach-Object Name", typeName).Succeeded()
                .Output.Select(item => (string)item.BaseObject).ToHashSet();
            Assert.NotEmpty(properties);
            Assert.All(view.Descendants("PropertyName").Select(name => name.Value), name => Assert.Contains(name, properties));
        }
    }

    [Fact]
    public void Get_Help_Full_shows_the_description_parameters_and_examples_as_text()
    {
        _session.UI.Clear();
        _session.Run("Get-Help Get-PgGitCommit -Full | Out-Host").Succeeded();
        var text = _session.UI.Text;

        Assert.Contains("Gets commits: a branch's history newest first, or one commit.", text);
        Assert.Contains("no further page is requested", text);
        Assert.Contains("Get-PgGitCommit -First 5 | Where-Object Author -eq 'alice'", text);
        Assert.Contains("-Branch <String>", text);
        Assert.Contains("PgGitV0.PowerShell.PgGitCommit", text);
    }
}
