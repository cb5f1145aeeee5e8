namespace BatchPs.TestSupport;

/// <summary>Seeded random edits of a text (characters removed, inserted, replaced) for parser robustness tests.</summary>
public static class TextMutations
{
    /// <summary><paramref name="count"/> variants of <paramref name="seed"/>, each with one to three edits; the same <paramref name="randomSeed"/> gives the same variants.</summary>
    public static IEnumerable<string> Of(string seed, int count, int randomSeed)
    {
        var random = new Random(randomSeed);
        const string alphabet = "$.[]()'\",:*?@<>=!&|-0123456789abcXYZ #\\{}S";
        for (var i = 0; i < count; i++)
        {
            var chars = seed.ToList();
            var edits = random.Next(1, 4);
            for (var e = 0; e < edits; e++)
            {
                var at = random.Next(chars.Count + 1);
                switch (random.Next(3))
                {
                    case 0 when chars.Count > 0 && at < chars.Count:
                        chars.RemoveAt(at);
                        break;
                    case 1:
                        chars.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    default:
                        if (at < chars.Count)
                        {
                            chars[at] = alphabet[random.Next(alphabet.Length)];
                        }
                        break;
                }
            }
            yield return new string(chars.ToArray());
        }
    }
}
