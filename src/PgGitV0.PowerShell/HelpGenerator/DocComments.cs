using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PgGitV0.PowerShell.HelpGenerator;

/// <summary>The compiler's XML documentation file, keyed by member id (T:Type, P:Type.Property).</summary>
internal sealed partial class DocComments
{
    private readonly Dictionary<string, XElement> _members;

    private DocComments(Dictionary<string, XElement> members) => _members = members;

    /// <summary>Turns a cref (T:Namespace.Type) into the name a reader knows, e.g. a cmdlet's name.</summary>
    public Func<string, string> CrefDisplay { get; set; } = cref => cref[(cref.LastIndexOf('.') + 1)..];

    public static DocComments Load(string path)
    {
        var members = XDocument.Load(path).Root!.Element("members")!.Elements("member")
            .ToDictionary(member => (string)member.Attribute("name")!);
        return new DocComments(members);
    }

    public XElement? Member(string id) => _members.GetValueOrDefault(id);

    /// <summary>The paragraphs of an element: each &lt;para&gt; is one, loose text between them another.</summary>
    public List<string> Paragraphs(XElement? element)
    {
        var paragraphs = new List<string>();
        if (element is null) return paragraphs;
        var loose = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            if (node is XElement { Name.LocalName: "para" } para)
            {
                Flush(loose, paragraphs);
                paragraphs.Add(Inline(para));
            }
            else if (node is XElement { Name.LocalName: "code" })
            {
                continue; // examples take their code separately
            }
            else
            {
                loose.Append(InlineNode(node));
            }
        }
        Flush(loose, paragraphs);
        return paragraphs;
    }

    /// <summary>One line of text: whitespace collapsed, crefs and inline markup rendered.</summary>
    public string Inline(XElement element) =>
        Whitespace().Replace(string.Concat(element.Nodes().Select(InlineNode)), " ").Trim();

    /// <summary>A code block with the indentation common to its lines removed.</summary>
    public static string Code(XElement code)
    {
        var lines = code.Value.Replace("\r\n", "\n").Split('\n').ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0])) lines.RemoveAt(0);
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1])) lines.RemoveAt(lines.Count - 1);
        var indent = lines.Where(line => line.Trim().Length > 0)
            .Select(line => line.Length - line.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(line => line.Length >= indent ? line[indent..].TrimEnd() : line.Trim()));
    }

    private void Flush(StringBuilder loose, List<string> paragraphs)
    {
        var text = Whitespace().Replace(loose.ToString(), " ").Trim();
        if (text.Length > 0) paragraphs.Add(text);
        loose.Clear();
    }

    private string InlineNode(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "see" } see when see.Attribute("cref") is { } cref => CrefDisplay(cref.Value),
        XElement { Name.LocalName: "see" } see when see.Attribute("langword") is { } word => "$" + word.Value,
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => "-" + (string?)reference.Attribute("name"),
        XElement element => string.Concat(element.Nodes().Select(InlineNode)),
        _ => "",
    };

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
