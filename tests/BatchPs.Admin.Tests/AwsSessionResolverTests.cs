using Amazon.Runtime;
using BatchPs.Admin.Aws;
using BatchPs.TestSupport.Aws;

namespace BatchPs.Admin.Tests;

[Collection(AwsEnvironmentCollection.Name)]
public sealed class AwsSessionResolverTests
{
    private static ImmutableCredentials Keys(AwsSession session) => session.Credentials.GetCredentials();

    [Fact]
    public void Literal_keys_win_over_profile_and_environment()
    {
        using var env = new CleanAwsEnvironment();
        File.WriteAllText(env.CredentialsFile, "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n");
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIDENV");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "s");

        var session = AwsSessionResolver.Resolve(new AwsConnectionOptions { AccessKey = "AKIDLITERAL", SecretKey = "secret", SessionToken = "token", ProfileName = "default", Region = "eu-west-1" });

        Assert.Equal(("AKIDLITERAL", "secret", "token"), (Keys(session).AccessKey, Keys(session).SecretKey, Keys(session).Token));
        Assert.Contains("-AccessKey", session.CredentialSource);
    }

    [Fact]
    public void An_access_key_without_its_secret_is_refused()
    {
        using var env = new CleanAwsEnvironment();

        var error = Assert.Throws<AwsCredentialException>(() => AwsSessionResolver.Resolve(new AwsConnectionOptions { AccessKey = "AKID", Region = "eu-west-1" }));

        Assert.Contains("go together", error.Message);
    }

    [Fact]
    public void Credential_object_from_another_AWSSDK_copy_is_read_through_GetCredentials()
    {
        using var env = new CleanAwsEnvironment();
        var foreign = new ForeignCredentials("AKIDFOREIGN", "foreign-secret", "foreign-token");

        var session = AwsSessionResolver.Resolve(new AwsConnectionOptions { Credential = foreign, ProfileName = "ignored", Region = "eu-west-1" });

        Assert.Equal(("AKIDFOREIGN", "foreign-secret", "foreign-token"), (Keys(session).AccessKey, Keys(session).SecretKey, Keys(session).Token));
        var calls = foreign.Calls;
        Keys(session);
        Assert.Equal(calls + 1, foreign.Calls); // read again on each use, so refreshing credentials refresh
    }

    [Fact]
    public void Credential_object_of_this_SDK_is_used_as_is()
    {
        using var env = new CleanAwsEnvironment();
        var own = new BasicAWSCredentials("AKIDOWN", "own");

        var session = AwsSessionResolver.Resolve(new AwsConnectionOptions { Credential = own, Region = "eu-west-1" });

        Assert.Same(own, session.Credentials);
    }

    [Fact]
    public void Credential_that_is_not_credentials_is_refused()
    {
        using var env = new CleanAwsEnvironment();

        var error = Assert.Throws<AwsCredentialException>(() => AwsSessionResolver.Resolve(new AwsConnectionOptions { Credential = "a string", Region = "eu-west-1" }));

        Assert.Contains("-Credential", error.Message);
    }

    [Fact]
    public void Profile_name_reads_the_shared_credentials_file_and_the_region_from_the_config_file()
    {
        using var env = new CleanAwsEnvironment();
        File.WriteAllText(env.CredentialsFile, "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n[admin]\naws_access_key_id = AKIDADMIN\naws_secret_access_key = a\n");
        File.WriteAllText(env.ConfigFile, "[profile admin]\nregion = ap-southeast-2\n");

        var session = AwsSessionResolver.Resolve(new AwsConnectionOptions { ProfileName = "admin" });

        Assert.Equal("AKIDADMIN", Keys(session).AccessKey);
        Assert.Equal("ap-southeast-2", session.Region.SystemName);
        Assert.Contains("profile 'admin'", session.RegionSource);
    }

    [Fact]
    public void Profile_location_reads_that_file()
    {
        using var env = new CleanAwsEnvironment();
        var other = Path.Combine(env.Folder, "other-credentials");
        File.WriteAllText(other, "[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = o\nregion = us-west-2\n");

        var session = AwsSessionResolver.Resolve(new AwsConnectionOptions { ProfileName = "ops", ProfileLocation = other });

        Assert.Equal("AKIDOPS", Keys(session).AccessKey);
        Assert.Equal("us-west-2", session.Region.SystemName);
    }

    [Fact]
    public void A_missing_profile_is_an_error_naming_it_not_a_fall_through()
    {
        using var env = new CleanAwsEnvironment();
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIDENV");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "s");

        var error = Assert.Throws<AwsCredentialException>(() => AwsSessionResolver.Resolve(new AwsConnectionOptions { ProfileName = "nope", Region = "eu-west-1" }));

        Assert.Contains("'nope'", error.Message);
    }

    [Fact]
    public void Stored_profile_from_Set_AWSCredential_is_used_when_no_parameter_names_one()
    {
        using var env = new CleanAwsEnvironment();
        File.WriteAllText(env.CredentialsFile, "[stored]\naws_access_key_id = AKIDSTORED\naws_secret_access_key = s\n[param]\naws_access_key_id = AKIDPARAM\naws_secret_access_key = p\n");

        var stored = AwsSessionResolver.Resolve(new AwsConnectionOptions { StoredCredentials = "stored", StoredRegion = "eu-central-1" });
        var param = AwsSessionResolver.Resolve(new AwsConnectionOptions { StoredCredentials = "stored", ProfileName = "param", StoredRegion = "eu-central-1", Region = "eu-north-1" });

        Assert.Equal("AKIDSTORED", Keys(stored).AccessKey);
        Assert.Contains("$StoredAWSCredentials", stored.CredentialSource);
        Assert.Equal("eu-central-1", stored.Region.SystemName);
        Assert.Contains("$StoredAWSRegion", stored.RegionSource);
        Assert.Equal("AKIDPARAM", Keys(param).AccessKey);
        Assert.Equal("eu-north-1", param.Region.SystemName);
    }

    [Fact]
    public void Environment_keys_come_before_the_default_profile()
    {
        using var env = new CleanAwsEnvironment();
        File.WriteAllText(env.CredentialsFile, "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n");
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIDENV");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "env-secret");
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", "env-token");
        Environment.SetEnvironmentVariable("AWS_REGION", "ca-central-1");

        var session = AwsSessionResolver.Resolve(new AwsConnectionOptions());

        Assert.Equal(("AKIDENV", "env-token"), (Keys(session).AccessKey, Keys(session).Token));
        Assert.Equal("ca-central-1", session.Region.SystemName);
        Assert.Contains("AWS_REGION", session.RegionSource);
    }

    [Fact]
    public void The_default_profile_is_used_last_and_AWS_PROFILE_chooses_another()
    {
        using var env = new CleanAwsEnvironment();
        File.WriteAllText(env.CredentialsFile, "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n[team]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = t\n");
        File.WriteAllText(env.ConfigFile, "[default]\nregion = eu-west-3\n[profile team]\nregion = sa-east-1\n");

        var byDefault = AwsSessionResolver.Resolve(new AwsConnectionOptions());
        Environment.SetEnvironmentVariable("AWS_PROFILE", "team");
        var byVariable = AwsSessionResolver.Resolve(new AwsConnectionOptions());

        Assert.Equal("AKIDDEFAULT", Keys(byDefault).AccessKey);
        Assert.Equal("eu-west-3", byDefault.Region.SystemName);
        Assert.Equal("AKIDTEAM", Keys(byVariable).AccessKey);
        Assert.Equal("sa-east-1", byVariable.Region.SystemName);
    }

    [Fact]
    public void The_AWS_PS_Default_profile_is_found_after_default()
    {
        using var env = new CleanAwsEnvironment();
        File.WriteAllText(env.CredentialsFile, "[AWS PS Default]\naws_access_key_id = AKIDPSDEFAULT\naws_secret_access_key = p\n");

        var session = AwsSessionResolver.Resolve(new AwsConnectionOptions { Region = "eu-west-1" });

        Assert.Equal("AKIDPSDEFAULT", Keys(session).AccessKey);
    }

    [Fact]
    public void An_assume_role_profile_resolves_to_refreshing_role_credentials()
    {
        using var env = new CleanAwsEnvironment();
        File.WriteAllText(env.CredentialsFile, "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = b\n");
        File.WriteAllText(env.ConfigFile, "[profile deployer]\nrole_arn = arn:aws:iam::123456789012:role/BatchPsDeployer\nsource_profile = base\nregion = eu-west-1\n");

        var session = AwsSessionResolver.Resolve(new AwsConnectionOptions { ProfileName = "deployer" });

        Assert.IsType<AssumeRoleAWSCredentials>(session.Credentials);
        Assert.Equal("eu-west-1", session.Region.SystemName);
    }

    [Fact]
    public void An_SSO_profile_resolves_to_SSO_credentials()
    {
        using var env = new CleanAwsEnvironment();
        File.WriteAllText(env.ConfigFile,
            "[profile sso-admin]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = us-east-2\n" +
            "[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\nsso_registration_scopes = sso:account:access\n");

        var session = AwsSessionResolver.Resolve(new AwsConnectionOptions { ProfileName = "sso-admin" });

        Assert.IsType<SSOAWSCredentials>(session.Credentials);
        Assert.Equal("us-east-2", session.Region.SystemName);
    }

    [Fact]
    public void No_credentials_anywhere_is_an_error_that_says_how_to_provide_them()
    {
        using var env = new CleanAwsEnvironment();

        var error = Assert.Throws<AwsCredentialException>(() => AwsSessionResolver.Resolve(new AwsConnectionOptions { Region = "eu-west-1" }));

        Assert.Contains("-ProfileName", error.Message);
        Assert.Contains("Set-AWSCredential", error.Message);
    }

    [Fact]
    public void No_region_anywhere_is_an_error_that_says_how_to_set_one()
    {
        using var env = new CleanAwsEnvironment();

        var error = Assert.Throws<AwsCredentialException>(() => AwsSessionResolver.Resolve(new AwsConnectionOptions { AccessKey = "AKID", SecretKey = "s" }));

        Assert.Contains("-Region", error.Message);
        Assert.Contains("Set-DefaultAWSRegion", error.Message);
    }

    [Fact]
    public async Task Profile_credentials_sign_requests_the_service_accepts()
    {
        using var env = new CleanAwsEnvironment();
        File.WriteAllText(env.CredentialsFile, $"[fake]\naws_access_key_id = {FakeAws.AccessKey}\naws_secret_access_key = {FakeAws.SecretKey}\nregion = {FakeAws.Region}\n");
        await using var context = await AdminTestContext.StartAsync();
        using var admin = new StackAdmin(new AwsConnectionOptions { ProfileName = "fake", EndpointUrl = context.Aws.Endpoint }, AdminTestContext.FastRetry);

        Assert.Null(await admin.GetStackAsync("BatchPs", CancellationToken.None));
        Assert.Empty(context.Aws.SignatureFailures);
        Assert.Contains("profile 'fake'", admin.ConnectionDescription);
        Assert.DoesNotContain(FakeAws.SecretKey, admin.ConnectionDescription);
    }

    /// <summary>Stands for an AWSCredentials of another AWSSDK.Core copy: same method shape, unrelated type.</summary>
    private sealed class ForeignCredentials
    {
        private readonly (string AccessKey, string SecretKey, string Token) _keys;

        public ForeignCredentials(string accessKey, string secretKey, string token) => _keys = (accessKey, secretKey, token);

        public int Calls { get; private set; }

        public ForeignKeys GetCredentials()
        {
            Calls++;
            return new ForeignKeys(_keys.AccessKey, _keys.SecretKey, _keys.Token);
        }
    }

    /// <summary>Shaped like ImmutableCredentials.</summary>
    public sealed record ForeignKeys(string AccessKey, string SecretKey, string Token);
}
