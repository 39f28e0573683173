using System.Reflection;

namespace PgGitV0.PowerShell.HelpGenerator;

/// <summary>
/// Reads every cmdlet class of a module (through MetadataLoadContext: nothing of it runs) and joins its
/// attributes with its doc comments. Missing help is collected in <see cref="Problems"/>, so the build fails.
/// </summary>
internal sealed class CmdletReader(DocComments docs, MetadataLoadContext context)
{
    private const string Smaa = "System.Management.Automation";
    private static readonly string[] VerbClasses =
        ["VerbsCommon", "VerbsCommunications", "VerbsData", "VerbsDiagnostic", "VerbsLifecycle", "VerbsOther", "VerbsSecurity"];

    private readonly Dictionary<string, string> _cmdletNamesByType = new();

    public List<string> Problems { get; } = [];

    public List<CmdletModel> Read(Assembly module)
    {
        var cmdletTypes = module.GetExportedTypes()
            .Where(type => !type.IsAbstract && Attribute(type, "CmdletAttribute") is not null)
            .ToList();
        foreach (var type in cmdletTypes)
        {
            var args = Attribute(type, "CmdletAttribute")!.ConstructorArguments;
            _cmdletNamesByType["T:" + type.FullName] = $"{args[0].Value}-{args[1].Value}";
        }
        docs.CrefDisplay = cref => _cmdletNamesByType.TryGetValue(cref, out var name) ? name : cref[(cref.LastIndexOf('.') + 1)..];

        var approvedVerbs = ApprovedVerbs(module);
        return cmdletTypes.Select(type => ReadCmdlet(type, approvedVerbs))
            .OrderBy(cmdlet => cmdlet.Noun, StringComparer.Ordinal)
            .ThenBy(cmdlet => cmdlet.Verb, StringComparer.Ordinal)
            .ToList();
    }

    private CmdletModel ReadCmdlet(Type type, HashSet<string> approvedVerbs)
    {
        var cmdlet = Attribute(type, "CmdletAttribute")!;
        var verb = (string)cmdlet.ConstructorArguments[0].Value!;
        var noun = (string)cmdlet.ConstructorArguments[1].Value!;
        var name = $"{verb}-{noun}";
        if (!approvedVerbs.Contains(verb))
            Problems.Add($"{name}: '{verb}' is not an approved verb (see Get-Verb)");

        var member = docs.Member("T:" + type.FullName);
        var synopsis = docs.Paragraphs(member?.Element("summary"));
        var description = docs.Paragraphs(member?.Element("remarks"));
        var examples = (member?.Elements("example") ?? [])
            .Select(example => new ExampleModel(
                example.Element("code") is { } code ? DocComments.Code(code) : "",
                docs.Paragraphs(example)))
            .ToList();
        var related = (member?.Elements("seealso") ?? [])
            .Select(see => docs.CrefDisplay((string)see.Attribute("cref")!))
            .ToList();

        if (synopsis.Count == 0) Problems.Add($"{name}: no <summary> (the synopsis) on {type.Name}");
        if (description.Count == 0) Problems.Add($"{name}: no <remarks> (the description) on {type.Name}");
        if (examples.Count == 0) Problems.Add($"{name}: no <example> on {type.Name}");
        foreach (var example in examples.Where(example => example.Code.Length == 0 || example.Remarks.Count == 0))
            Problems.Add($"{name}: an <example> needs both <code> and a sentence saying what it does");

        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => Attributes(property, "ParameterAttribute").Any())
            .OrderBy(property => property.DeclaringType == type ? 0 : 1)
            .ThenBy(property => property.MetadataToken)
            .Select(property => ReadParameter(name, property))
            .ToList();

        if (Named(cmdlet, "SupportsShouldProcess") is true)
        {
            parameters.Add(CommonSwitch("WhatIf", ["wi"], "Shows what would happen if the cmdlet runs. The cmdlet is not run."));
            parameters.Add(CommonSwitch("Confirm", ["cf"], "Prompts you for confirmation before running the cmdlet."));
        }

        var defaultSet = Named(cmdlet, "DefaultParameterSetName") as string;
        var sets = parameters.SelectMany(parameter => parameter.Sets).Select(usage => usage.SetName)
            .Where(set => set != ParameterModel.AllSets).Distinct()
            .OrderBy(set => set == defaultSet ? 0 : 1).ToList();
        if (sets.Count == 0) sets.Add(ParameterModel.AllSets);

        var inputs = parameters.Where(parameter => parameter.ByValue || parameter.ByPropertyName)
            .Select(parameter => new TypeDoc(parameter.FullTypeName, [parameter.ByValue
                ? $"You can pipe a {parameter.TypeName} to -{parameter.Name}."
                : $"You can pipe objects with a {string.Join(" or ", new[] { parameter.Name }.Concat(parameter.Aliases))} property to -{parameter.Name}."]))
            .ToList();

        var outputs = Attributes(type, "OutputTypeAttribute")
            .SelectMany(attribute => attribute.ConstructorArguments)
            .SelectMany(argument => argument.Value is IEnumerable<CustomAttributeTypedArgument> many ? many : [argument])
            .Select(argument => argument.Value switch
            {
                Type outputType => new TypeDoc(outputType.FullName!, docs.Paragraphs(docs.Member("T:" + outputType.FullName)?.Element("summary"))),
                var other => new TypeDoc(other?.ToString() ?? "", []),
            })
            .ToList();

        return new CmdletModel(verb, noun, synopsis, description, parameters, sets, inputs, outputs, examples, related);
    }

    private ParameterModel ReadParameter(string cmdletName, PropertyInfo property)
    {
        var usages = Attributes(property, "ParameterAttribute").Select(attribute => new SetUsage(
                Named(attribute, "ParameterSetName") as string ?? ParameterModel.AllSets,
                Named(attribute, "Mandatory") is true,
                Named(attribute, "Position") is int position && position >= 0 ? position : null,
                Named(attribute, "ValueFromPipeline") is true,
                Named(attribute, "ValueFromPipelineByPropertyName") is true))
            .ToList();
        var aliases = Attributes(property, "AliasAttribute")
            .SelectMany(attribute => attribute.ConstructorArguments)
            .SelectMany(argument => (IEnumerable<CustomAttributeTypedArgument>)argument.Value!)
            .Select(argument => (string)argument.Value!)
            .ToList();
        var validValues = Attributes(property, "ValidateSetAttribute")
            .SelectMany(attribute => attribute.ConstructorArguments)
            .SelectMany(argument => (IEnumerable<CustomAttributeTypedArgument>)argument.Value!)
            .Select(argument => (string)argument.Value!)
            .ToList();

        var member = docs.Member($"P:{property.DeclaringType!.FullName}.{property.Name}");
        var description = docs.Paragraphs(member?.Element("summary"));
        if (description.Count == 0) Problems.Add($"{cmdletName}: parameter -{property.Name} has no <summary>");
        var defaultValue = member?.Element("value") is { } value ? docs.Inline(value) : null;

        var propertyType = property.PropertyType;
        var isSwitch = propertyType.FullName == $"{Smaa}.SwitchParameter";
        var underlying = propertyType.IsGenericType && propertyType.GetGenericTypeDefinition().FullName == "System.Nullable`1"
            ? propertyType.GetGenericArguments()[0]
            : propertyType;
        return new ParameterModel(property.Name, underlying.Name, underlying.FullName ?? underlying.Name, isSwitch, aliases,
            Attribute(property, "SupportsWildcardsAttribute") is not null, validValues, usages, description, defaultValue);
    }

    private static ParameterModel CommonSwitch(string name, List<string> aliases, string description) =>
        new(name, "SwitchParameter", $"{Smaa}.SwitchParameter", true, aliases, false, [],
            [new SetUsage(ParameterModel.AllSets, false, null, false, false)], [description], "False");

    /// <summary>The constants of PowerShell's Verbs* classes: the verbs Get-Verb lists.</summary>
    private HashSet<string> ApprovedVerbs(Assembly module)
    {
        var automation = context.LoadFromAssemblyName(module.GetReferencedAssemblies().Single(reference => reference.Name == Smaa));
        return VerbClasses.Select(name => automation.GetType($"{Smaa}.{name}", throwOnError: true)!)
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.IsLiteral)
            .Select(field => (string)field.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static CustomAttributeData? Attribute(MemberInfo member, string name) => Attributes(member, name).FirstOrDefault();

    private static IEnumerable<CustomAttributeData> Attributes(MemberInfo member, string name) =>
        member.GetCustomAttributesData().Where(data => data.AttributeType.Name == name && data.AttributeType.Namespace == Smaa);

    private static object? Named(CustomAttributeData data, string name) =>
        data.NamedArguments.Where(argument => argument.MemberName == name).Select(argument => argument.TypedValue.Value).FirstOrDefault();
}
