package dev.s3music.metadata.port;

import dev.s3music.metadata.model.Candidate;
import dev.s3music.metadata.model.Details;
import io.vertx.core.Future;

import java.util.List;

/**
 * A source of artist and album information (Discogs). Each method is one remote call. Failures are domain
 * errors: NOT_FOUND for an unknown id (an answer, never retried), TRANSIENT when the provider keeps failing
 * after bounded retries, RATE_LIMITED when the budget could not be obtained in time.
 */
public interface MetadataProvider {

    Future<List<Candidate>> searchArtists(String name);

    /** Albums by title and artist, of one kind (MASTER or RELEASE). */
    Future<List<Candidate>> searchAlbums(String artist, String title, Candidate.Type kind);

    /** The first page of an artist's discography (masters and releases), newest first. */
    Future<List<Candidate>> artistReleases(long artistId);

    Future<Details.Artist> artist(long id);

    Future<Details.Album> master(long id);

    Future<Details.Album> release(long id);
}
