using System.Reflection;
using PgGitV0.PowerShell.HelpGenerator;

// Usage: HelpGenerator <module.dll> <module.xml doc file> <references.txt> <output -Help.xml>
// references.txt lists the assemblies the module was compiled against, one path a line.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: PgGitV0.PowerShell.HelpGenerator <module.dll> <doc.xml> <references.txt> <out-Help.xml>");
    return 2;
}

var (modulePath, docPath, referencesPath, outputPath) = (args[0], args[1], args[2], args[3]);
var references = File.ReadAllLines(referencesPath).Where(line => line.Length > 0).Append(modulePath).Distinct();
using var context = new MetadataLoadContext(new PathAssemblyResolver(references));
var module = context.LoadFromAssemblyPath(modulePath);
var docs = DocComments.Load(docPath);

var reader = new CmdletReader(docs, context);
var cmdlets = reader.Read(module);
if (reader.Problems.Count > 0)
{
    // MSBuild shows "error :" lines as build errors with the message.
    foreach (var problem in reader.Problems) Console.Error.WriteLine($"{modulePath}: error PGGITHELP: {problem}");
    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
MamlWriter.Write(cmdlets, outputPath);
Console.WriteLine($"Wrote help for {cmdlets.Count} cmdlets to {outputPath}");
return 0;
