package dev.s3music.model.user;

import java.util.List;

/**
 * An edit of a playlist, applied as one step. Null fields keep what is there. Edits are expressed as operations,
 * not a new whole list, so that two devices editing at once both keep what they did: a conflicting write re-reads
 * and applies the operations again.
 *
 * @param name           the new name
 * @param comment        the new comment
 * @param isPublic       the new visibility
 * @param removeIndexes  positions (in the list as it was read) to remove; applied before the appends
 * @param appendSongIds  song ids to add at the end
 * @param replaceSongIds when not null, the whole new list (a reorder); replaces the list instead of
 *                       {@code removeIndexes}/{@code appendSongIds}; with {@code expectedVersion} a concurrent change
 *                       then fails with PRECONDITION_FAILED (412) rather than being overwritten
 * @param expectedVersion the version the client saw (If-Match), or null to apply to whatever is current; when the
 *                       playlist is no longer at it the change fails with PRECONDITION_FAILED and nothing changes
 */
public record PlaylistChange(String name, String comment, Boolean isPublic, List<Integer> removeIndexes,
                             List<String> appendSongIds, List<String> replaceSongIds, String expectedVersion) {
    public PlaylistChange {
        removeIndexes = removeIndexes == null ? List.of() : List.copyOf(removeIndexes);
        appendSongIds = appendSongIds == null ? List.of() : List.copyOf(appendSongIds);
        replaceSongIds = replaceSongIds == null ? null : List.copyOf(replaceSongIds);
    }
}
