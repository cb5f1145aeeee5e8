using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Storage;

/// <summary>
/// The one owner of the <c>batch_jobs</c> table: each local Batch job (array children included) as its DescribeJobs
/// detail JSON and the runner's spec JSON, with its status, parent and the submit's idempotency token as columns.
/// </summary>
internal sealed class BatchJobStore : IDisposable
{
    private readonly LocalDatabase _database;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _findByToken;

    public BatchJobStore(LocalDatabase database)
    {
        _database = database;
        _insert = database.PrepareWrite(
            "INSERT INTO batch_jobs (job_id, job_name, parent_id, status, created_at, detail, spec, idempotency_token) VALUES ($id, $name, $parent, $status, $created, $detail, $spec, $token)",
            "$id", "$name", "$parent", "$status", "$created", "$detail", "$spec", "$token");
        _findByToken = database.PrepareWrite("SELECT job_id FROM batch_jobs WHERE idempotency_token = $token", "$token");
        _update = database.PrepareWrite(
            "UPDATE batch_jobs SET status = $status, detail = $detail, spec = $spec WHERE job_id = $id",
            "$status", "$detail", "$spec", "$id");
    }

    /// <summary>One row to insert: a job (or array child, with its parent's id) and its JSON.</summary>
    public sealed record NewJob(string JobId, string JobName, string? ParentId, string Status, long CreatedAt, string Detail, string Spec);

    /// <summary>A stored job that is not final: its detail and spec JSON.</summary>
    public sealed record UnfinishedJob(string Detail, string Spec);

    /// <summary>
    /// Stores a submitted job and its children in one durable write, the token on the first row. When a job with
    /// <paramref name="idempotencyToken"/> exists already, stores nothing and returns its id; else null.
    /// </summary>
    public Task<string?> InsertAsync(IReadOnlyList<NewJob> jobs, string? idempotencyToken) =>
        _database.Writer.WriteAsync<string?>(_ =>
        {
            if (idempotencyToken is not null)
            {
                _findByToken.Parameters[0].Value = idempotencyToken;
                if (_findByToken.ExecuteScalar() is string id) return id;
            }
            for (var i = 0; i < jobs.Count; i++)
            {
                var job = jobs[i];
                var p = _insert.Parameters;
                p[0].Value = job.JobId;
                p[1].Value = job.JobName;
                p[2].Value = (object?)job.ParentId ?? DBNull.Value;
                p[3].Value = job.Status;
                p[4].Value = job.CreatedAt;
                p[5].Value = job.Detail;
                p[6].Value = job.Spec;
                p[7].Value = i == 0 && idempotencyToken is not null ? idempotencyToken : DBNull.Value;
                _insert.ExecuteNonQuery();
            }
            return null;
        });

    /// <summary>Durably stores a job's new status, detail and spec.</summary>
    public Task UpdateAsync(string jobId, string status, string detail, string spec) =>
        _database.Writer.WriteAsync(_ =>
        {
            var p = _update.Parameters;
            p[0].Value = status;
            p[1].Value = detail;
            p[2].Value = spec;
            p[3].Value = jobId;
            return _update.ExecuteNonQuery();
        });

    /// <summary>A job's stored detail JSON, or null.</summary>
    public string? FindDetail(string jobId)
    {
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT detail FROM batch_jobs WHERE job_id = $id";
        command.Parameters.AddWithValue("$id", jobId);
        return command.ExecuteScalar() as string;
    }

    /// <summary>Every job not yet SUCCEEDED or FAILED, oldest first.</summary>
    public IReadOnlyList<UnfinishedJob> ReadUnfinished()
    {
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT detail, spec FROM batch_jobs WHERE status NOT IN ('SUCCEEDED', 'FAILED') ORDER BY created_at";
        using var reader = command.ExecuteReader();
        var jobs = new List<UnfinishedJob>();
        while (reader.Read()) jobs.Add(new UnfinishedJob(reader.GetString(0), reader.GetString(1)));
        return jobs;
    }

    /// <summary>The id and stored status of every child of an array job.</summary>
    public IReadOnlyList<(string JobId, string Status)> ChildStatuses(string parentId)
    {
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT job_id, status FROM batch_jobs WHERE parent_id = $parent";
        command.Parameters.AddWithValue("$parent", parentId);
        using var reader = command.ExecuteReader();
        var result = new List<(string, string)>();
        while (reader.Read()) result.Add((reader.GetString(0), reader.GetString(1)));
        return result;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _update.Dispose();
        _findByToken.Dispose();
    }
}
