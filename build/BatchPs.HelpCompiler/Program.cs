using BatchPs.HelpCompiler;

// Usage: BatchPs.HelpCompiler <markdown folder> <output MAML file>
if (args.Length != 2)
{
    Console.Error.WriteLine("Usage: BatchPs.HelpCompiler <folder of Verb-Noun.md files> <output .dll-Help.xml>");
    return 2;
}
try
{
    var files = Directory.GetFiles(args[0], "*-*.md").OrderBy(f => f, StringComparer.Ordinal).ToList();
    if (files.Count == 0) throw new FormatException($"{args[0]}: no Verb-Noun.md files.");
    var document = MamlWriter.Write(files.Select(HelpMarkdown.Parse));
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
    var temp = args[1] + ".tmp";
    document.Save(temp);
    File.Move(temp, args[1], overwrite: true);
    Console.WriteLine($"BatchPs.HelpCompiler: {files.Count} cmdlets -> {args[1]}");
    return 0;
}
catch (Exception ex) when (ex is FormatException or IOException)
{
    // MSBuild picks "error :" lines up as build errors.
    Console.Error.WriteLine("error : " + ex.Message);
    return 1;
}
