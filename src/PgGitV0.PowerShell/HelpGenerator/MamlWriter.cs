using System.Xml;
using System.Xml.Linq;

namespace PgGitV0.PowerShell.HelpGenerator;

/// <summary>Writes cmdlet models as MAML, the XML that Get-Help reads from en-US/&lt;assembly&gt;-Help.xml.</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static void Write(IEnumerable<CmdletModel> cmdlets, string path)
    {
        var root = new XElement(Msh + "helpItems",
            new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            cmdlets.Select(CommandElement));
        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) };
        using var writer = XmlWriter.Create(path, settings);
        new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
    }

    private static XElement CommandElement(CmdletModel cmdlet) =>
        new(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                Description(cmdlet.Synopsis)),
            Description(cmdlet.Description),
            new XElement(Command + "syntax", cmdlet.ParameterSets.Select(set => SyntaxItem(cmdlet, set))),
            new XElement(Command + "parameters", cmdlet.Parameters.Select(parameter => Parameter(parameter, parameter.Position, parameter.Mandatory))),
            new XElement(Command + "inputTypes", cmdlet.Inputs.Select(input => TypeElement(Command + "inputType", input))),
            new XElement(Command + "returnValues", cmdlet.Outputs.Select(output => TypeElement(Command + "returnValue", output))),
            new XElement(Command + "examples", cmdlet.Examples.Select((example, index) =>
                new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- Example {index + 1} --------------------------"),
                    new XElement(Dev + "code", example.Code),
                    new XElement(Dev + "remarks", example.Remarks.Select(Para))))),
            new XElement(Command + "relatedLinks", cmdlet.RelatedLinks.Select(link =>
                new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", link), new XElement(Maml + "uri")))));

    /// <summary>One syntax line: positional parameters first, then mandatory ones, then the rest, as PowerShell shows them.</summary>
    private static XElement SyntaxItem(CmdletModel cmdlet, string set) =>
        new(Command + "syntaxItem",
            new XElement(Maml + "name", cmdlet.Name),
            cmdlet.Parameters
                .Select(parameter => (parameter, usage: parameter.In(set)))
                .Where(pair => pair.usage is not null)
                .OrderBy(pair => pair.usage!.Position ?? int.MaxValue)
                .ThenBy(pair => pair.usage!.Mandatory ? 0 : 1)
                .Select(pair => Parameter(pair.parameter, pair.usage!.Position, pair.usage.Mandatory)));

    private static XElement Parameter(ParameterModel parameter, int? position, bool mandatory) =>
        new(Command + "parameter",
            new XAttribute("required", mandatory ? "true" : "false"),
            new XAttribute("variableLength", parameter.TypeName.EndsWith("[]") ? "true" : "false"),
            new XAttribute("globbing", parameter.SupportsWildcards ? "true" : "false"),
            new XAttribute("pipelineInput", parameter.PipelineInput),
            new XAttribute("position", position?.ToString() ?? "named"),
            new XAttribute("aliases", parameter.Aliases.Count > 0 ? string.Join(", ", parameter.Aliases) : "none"),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description),
            parameter.ValidValues.Count > 0
                ? new XElement(Command + "parameterValueGroup", parameter.ValidValues.Select(value =>
                    new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), value)))
                : null,
            parameter.IsSwitch
                ? null
                : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), parameter.TypeName),
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.FullTypeName), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", parameter.DefaultValue ?? "None"));

    private static XElement TypeElement(XName name, TypeDoc type) =>
        new(name,
            new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
            Description(type.Description));

    private static XElement Description(IEnumerable<string> paragraphs) =>
        new(Maml + "description", paragraphs.Select(Para));

    private static XElement Para(string text) => new(Maml + "para", text);
}
